/*
 * demand_paging: a mapping has no pages until they are touched; reads of untouched anonymous memory map the shared
 * zero page (on kernels that have one), writes allocate frames, MADV_DONTNEED gives them back, a MADV_HUGEPAGE
 * region faults in 2 MiB at a time, and a file mapping is filled from the page cache (major faults once the
 * file's pages have been dropped from it). The data file is created in a temporary directory and removed at exit.
 * Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

#define MIB (1ul << 20)
#define HUGE_2M (2ul << 20)

static const char usage[] =
    "usage: demand_paging [MIB]\n"
    "  MIB: size of each region and of the data file, an even number from 2 to 4096 (default 16).\n"
    "  Creates /tmp/inspector-demand-XXXXXX/data.bin (removed at exit and on SIGTERM/SIGINT/SIGHUP).\n"
    "steps: after_mmap_anon, after_read_first_half, after_write_all, after_madv_dontneed, after_write_thp_region,\n"
    "       after_mmap_file, after_read_file, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after after_read_file until stdin EOF)\n"
    "details: native-samples/README.md\n";

static const char *create_file(size_t len)
{
    int fd = sample_data_file("demand");
    char block[64 << 10];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (char)(i * 7);
    for (size_t off = 0; off < len; off += sizeof block) {
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
            die_call("write data.bin");
    }
    /* Written pages are dirty page cache: write them back, then drop this file's pages from the cache, so the
     * reads below are major faults served by readahead. Only this file's cache is touched, no system setting. */
    if (fsync(fd) != 0)
        die_call("fsync data.bin");
    int rc = posix_fadvise(fd, 0, (off_t)len, POSIX_FADV_DONTNEED);
    close(fd);
    return rc == 0 ? "ok" : errno_name(rc);
}

static char *map_anon(size_t len, size_t align)
{
    char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die_call("mmap anonymous");
    if (align == 0)
        return p;
    char *a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (a + len < p + len + align)
        munmap(a + len, (size_t)(p + len + align - (a + len)));
    return a;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2)
        usage_error("takes at most one argument (MIB)");
    long mib = argc == 2 ? parse_long_arg(argv[1], "MIB", 2, 4096) : 16;
    if (mib % 2 != 0)
        usage_error("MIB must be even (the THP region is whole 2 MiB pages), got %ld", mib);
    sample_on_term(sample_data_file_remove);
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    const size_t len = (size_t)mib * MIB;
    const size_t pages = len / ps;

    const char *dropped = create_file(len);

    char *anon = map_anon(len, 0);
    if (madvise(anon, len, MADV_NOHUGEPAGE) != 0)
        die_call("madvise(MADV_NOHUGEPAGE)");
    STEP("after_mmap_anon", "range.anon=%p-%p pages=%zu page_size=%zu", (void *)anon, (void *)(anon + len), pages,
         ps);

    volatile char sink = 0;
    for (size_t off = 0; off < len / 2; off += ps)
        sink += ((volatile char *)anon)[off];
    STEP("after_read_first_half", "range.anon=%p-%p range.read=%p-%p pages_read=%zu", (void *)anon,
         (void *)(anon + len), (void *)anon, (void *)(anon + len / 2), pages / 2);

    for (size_t off = 0; off < len; off += ps)
        anon[off] = 1;
    STEP("after_write_all", "range.anon=%p-%p pages_written=%zu", (void *)anon, (void *)(anon + len), pages);

    if (madvise(anon, len, MADV_DONTNEED) != 0)
        die_call("madvise(MADV_DONTNEED)");
    STEP("after_madv_dontneed", "range.anon=%p-%p", (void *)anon, (void *)(anon + len));

    char *thp = map_anon(len, HUGE_2M);
    int rc = madvise(thp, len, MADV_HUGEPAGE);
    const char *thp_advice = rc == 0 ? "ok" : errno_name(errno);
    for (size_t off = 0; off < len; off += ps)
        thp[off] = 1;
    STEP("after_write_thp_region", "range.thp=%p-%p madv_hugepage=%s huge_pages_2m=%zu pages_written=%zu",
         (void *)thp, (void *)(thp + len), thp_advice, len / HUGE_2M, pages);

    int fd = open(sample_file_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die_call("open data.bin");
    char *file = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    if (file == MAP_FAILED)
        die_call("mmap data.bin");
    close(fd);
    STEP("after_mmap_file", "range.file=%p-%p file=%s cache_dropped=%s pages=%zu", (void *)file,
         (void *)(file + len), sample_file_path, dropped, pages);

    for (size_t off = 0; off < len; off += ps)
        sink += ((volatile char *)file)[off];
    STEP("after_read_file", "range.file=%p-%p pages_read=%zu", (void *)file, (void *)(file + len), pages);
    sample_hold();

    STEP_PLAIN("done");
    munmap(file, len);
    munmap(thp, len);
    munmap(anon, len);
    sample_data_file_remove();
    (void)sink;
    return 0;
}
