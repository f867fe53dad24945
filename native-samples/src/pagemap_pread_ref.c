/*
 * pagemap_pread_ref [-k] PID [START-END]: counts the pages of every mapping of PID by positional reads of
 * /proc/PID/pagemap (8 bytes per page, batches of up to 64 Ki entries, mapped ranges only). The C baseline the Java
 * residency reader is measured against. Output line: see ref_common.h.
 *
 *   present  bit 63                       swapped  bit 62
 *   file     bit 61 (file page or shared anonymous, as PAGEMAP_SCAN's PAGE_IS_FILE: both test !PageAnon)
 *   zero     present and PFN == the shared zero page's PFN. The PFN is learned once, outside the timing, by reading
 *            two fresh private anonymous pages of our own and looking them up in /proc/self/pagemap: one shared frame
 *            is the zero page; two frames mean this kernel maps no zero page on a read fault (a guest booted with
 *            pvm_no_zero_page=1), and then zero=0. PFNs read as 0 without CAP_SYS_ADMIN, and then zero=-1. The huge zero page (THP) has another PFN and is not counted,
 *            whereas PAGEMAP_SCAN's PAGE_IS_PFNZERO includes it: the two agree on MADV_NOHUGEPAGE memory.
 *   huge     pagemap has no THP bit. Without -k: -1. With -k (root): present pages whose /proc/kpageflags word has
 *            THP (22) or HUGE (17), read in batches over runs of consecutive PFNs. This counts PTE-mapped THP pages
 *            too, whereas PAGE_IS_HUGE means PMD-mapped THP or hugetlb. -k is off by default because it costs
 *            extra reads per present page and is not part of the baseline.
 */
#include "ref_common.h"

#include <sys/mman.h>

#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_FILE (1ULL << 61)
#define PM_PFN_MASK ((1ULL << 55) - 1)
#define KPF_HUGE (1ULL << 17)
#define KPF_THP (1ULL << 22)
#define BATCH (64 * 1024)

static uint64_t entries[BATCH];
static uint64_t kflags[BATCH];

static void pread_full(int fd, void *buf, size_t len, off_t off, const char *what)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ref_die(1, "pread %s at offset %lld: %s", what, (long long)(off + (off_t)got), ref_errno(errno));
        if (n == 0)
            ref_die(1, "pread %s at offset %lld: unexpected end of file", what, (long long)(off + (off_t)got));
        got += (size_t)n;
    }
}

/* No page can have this PFN (pagemap PFNs have 55 bits): the kernel maps no zero page. */
#define NO_ZERO_PAGE UINT64_MAX

/* PFN of the shared zero page; 0 when PFNs are hidden (no CAP_SYS_ADMIN); NO_ZERO_PAGE when reads get own frames. */
static uint64_t probe_zero_pfn(uint64_t page_size)
{
    char *p = mmap(NULL, 2 * page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        ref_die(1, "mmap probe pages: %s", ref_errno(errno));
    (void)*(volatile char *)p;
    (void)*(volatile char *)(p + page_size);
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        ref_die(1, "open /proc/self/pagemap: %s", ref_errno(errno));
    uint64_t e[2];
    pread_full(fd, e, sizeof e, (off_t)((uintptr_t)p / page_size * sizeof e[0]), "/proc/self/pagemap");
    close(fd);
    munmap(p, 2 * page_size);
    if (!(e[0] & PM_PRESENT) || !(e[1] & PM_PRESENT) || (e[0] & PM_PFN_MASK) == 0)
        return 0;
    return (e[0] & PM_PFN_MASK) == (e[1] & PM_PFN_MASK) ? e[0] & PM_PFN_MASK : NO_ZERO_PAGE;
}

int main(int argc, char **argv)
{
    ref_prog = "pagemap_pread_ref";
    int use_kpageflags = 0;
    if (argc > 1 && strcmp(argv[1], "-k") == 0) {
        use_kpageflags = 1;
        argv++;
        argc--;
    }
    int pid;
    struct range clip;
    ref_args(argc, argv, &pid, &clip);
    const uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE);

    uint64_t zero_pfn = probe_zero_pfn(ps);
    int kfd = -1;
    if (use_kpageflags) {
        kfd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
        if (kfd < 0)
            ref_die(1, "open /proc/kpageflags: %s (-k needs root)", ref_errno(errno));
    }
    char path[64];
    int fd = ref_open_pagemap(pid, path, sizeof path);

    struct counts c = {0};
    struct ranges r = {0};
    uint64_t t0 = ref_now_ns();
    ref_read_maps(pid, &clip, ps, &r);
    for (size_t i = 0; i < r.n; i++) {
        uint64_t first = r.v[i].lo / ps, last = (r.v[i].hi + ps - 1) / ps;
        c.pages += last - first;
        for (uint64_t vpn = first; vpn < last;) {
            size_t n = last - vpn < BATCH ? (size_t)(last - vpn) : BATCH;
            pread_full(fd, entries, n * sizeof entries[0], (off_t)(vpn * sizeof entries[0]), path);
            for (size_t k = 0; k < n; k++) {
                uint64_t e = entries[k];
                if (e & PM_PRESENT) {
                    c.present++;
                    if (zero_pfn != 0 && (e & PM_PFN_MASK) == zero_pfn)
                        c.zero++;
                } else if (e & PM_SWAP) {
                    c.swapped++;
                }
                if (e & PM_FILE)
                    c.file++;
            }
            if (kfd >= 0) {
                /* One kpageflags read per run of consecutive PFNs among the present entries. */
                for (size_t k = 0; k < n;) {
                    if (!(entries[k] & PM_PRESENT) || (entries[k] & PM_PFN_MASK) == 0) {
                        k++;
                        continue;
                    }
                    uint64_t pfn0 = entries[k] & PM_PFN_MASK;
                    size_t run = 1;
                    while (k + run < n && (entries[k + run] & PM_PRESENT)
                           && (entries[k + run] & PM_PFN_MASK) == pfn0 + run)
                        run++;
                    pread_full(kfd, kflags, run * sizeof kflags[0], (off_t)(pfn0 * sizeof kflags[0]),
                               "/proc/kpageflags");
                    for (size_t j = 0; j < run; j++)
                        if (kflags[j] & (KPF_THP | KPF_HUGE))
                            c.huge++;
                    k += run;
                }
            }
            vpn += n;
        }
    }
    uint64_t elapsed = ref_now_ns() - t0;
    if (zero_pfn == 0)
        c.zero = -1;
    if (kfd < 0)
        c.huge = -1;
    ref_print(&c, r.n, elapsed);
    return 0;
}
