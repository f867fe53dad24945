/*
 * hugepages: 2 MiB pages two ways. Transparent huge pages: a 2 MiB-aligned anonymous region written without advice
 * and one written after MADV_HUGEPAGE (with THP in "madvise" mode only the second gets huge pages). hugetlb:
 * MAP_HUGETLB with 2 MiB and 1 GiB pages, which needs pages reserved in the pool beforehand; with an empty pool
 * mmap fails (ENOMEM) and the step announces the errno. This program never changes a system setting. Steps and
 * keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif

#define MIB (1ul << 20)
#define HUGE_2M (2 * MIB)

static const char usage[] =
    "usage: hugepages [MIB]\n"
    "  MIB: size of each THP region, an even number from 2 to 1024 (default 8).\n"
    "  hugetlb needs reserved pages, e.g. (as root) echo 2 > /proc/sys/vm/nr_hugepages; this program only reads\n"
    "  the settings and announces what mmap answered.\n"
    "steps: plain_anon_touched, thp_madvised_touched, hugetlb_2MiB, hugetlb_1GiB, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after hugetlb_1GiB until stdin EOF)\n"
    "details: native-samples/README.md\n";

/* The bracketed word of a THP setting file ("always [madvise] never" -> "madvise"). */
static const char *thp_setting(const char *path, char *buf, size_t size)
{
    const char *text = read_first_line(path, buf, size);
    const char *open = strchr(text, '[');
    const char *close = open != NULL ? strchr(open, ']') : NULL;
    if (open == NULL || close == NULL)
        return "?";
    memmove(buf, open + 1, (size_t)(close - open - 1));
    buf[close - open - 1] = '\0';
    return buf;
}

static char *map_aligned(size_t len, size_t align)
{
    char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die_call("mmap anonymous");
    char *a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (a + len < p + len + align)
        munmap(a + len, (size_t)(p + len + align - (a + len)));
    return a;
}

static void touch(char *p, size_t len)
{
    for (size_t off = 0; off < len; off += 4096)
        p[off] = 1;
}

static void hugetlb(const char *step, size_t page, int flag, const char *pool)
{
    char nr[32], fr[32];
    char path[128];
    snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/%s", pool);
    int exists = access(path, F_OK) == 0;
    snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/%s/nr_hugepages", pool);
    const char *total = read_first_line(path, nr, sizeof nr);
    snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/%s/free_hugepages", pool);
    const char *free_pages = read_first_line(path, fr, sizeof fr);
    char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | flag, -1, 0);
    if (p == MAP_FAILED) {
        STEP(step, "result=%s pool=%s pool_exists=%d pool_total=%s pool_free=%s page_kib=%zu", errno_name(errno),
             pool, exists, total, free_pages, page / 1024);
        return;
    }
    p[0] = 1;
    STEP(step, "result=ok range.hugetlb=%p-%p pool=%s pool_exists=%d pool_total=%s pool_free=%s page_kib=%zu",
         (void *)p, (void *)(p + page), pool, exists, total, free_pages, page / 1024);
    /* Kept mapped until exit: the inspector may look at it at the following steps too. */
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2)
        usage_error("takes at most one argument (MIB)");
    long mib = argc == 2 ? parse_long_arg(argv[1], "MIB", 2, 1024) : 8;
    if (mib % 2 != 0)
        usage_error("MIB must be even (whole 2 MiB pages), got %ld", mib);
    const size_t len = (size_t)mib * MIB;
    char enabled[64], defrag[64];

    char *plain = map_aligned(len, HUGE_2M);
    touch(plain, len);
    STEP("plain_anon_touched", "range.plain=%p-%p thp_enabled=%s thp_defrag=%s", (void *)plain,
         (void *)(plain + len), thp_setting("/sys/kernel/mm/transparent_hugepage/enabled", enabled, sizeof enabled),
         thp_setting("/sys/kernel/mm/transparent_hugepage/defrag", defrag, sizeof defrag));

    char *thp = map_aligned(len, HUGE_2M);
    const char *advice = madvise(thp, len, MADV_HUGEPAGE) == 0 ? "ok" : errno_name(errno);
    touch(thp, len);
    STEP("thp_madvised_touched", "range.thp=%p-%p madv_hugepage=%s huge_pages_2m=%zu", (void *)thp,
         (void *)(thp + len), advice, len / HUGE_2M);

    hugetlb("hugetlb_2MiB", HUGE_2M, MAP_HUGE_2MB, "hugepages-2048kB");
    hugetlb("hugetlb_1GiB", 1024 * MIB, MAP_HUGE_1GB, "hugepages-1048576kB");
    sample_hold();

    STEP_PLAIN("done");
    return 0;
}
