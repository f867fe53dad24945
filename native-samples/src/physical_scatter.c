/*
 * physical_scatter: pages that are contiguous in virtual memory get frames from wherever the allocator has them, and
 * the same addresses get other frames after MADV_DONTNEED and a new touch. PFNs are visible to root only (pagemap
 * shows 0 to other readers). Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <sys/mman.h>

static const char usage[] =
    "usage: physical_scatter [PAGES]\n"
    "  PAGES: number of 4 KiB pages, 2 to 65536 (default 256); touched last page first, then given back with\n"
    "  MADV_DONTNEED and touched again first page first. The region is MADV_NOHUGEPAGE.\n"
    "steps: touched_in_reverse, retouched_after_dontneed, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after retouched_after_dontneed until stdin EOF)\n"
    "details: native-samples/README.md\n";

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2)
        usage_error("takes at most one argument (PAGES)");
    long pages = argc == 2 ? parse_long_arg(argv[1], "PAGES", 2, 65536) : 256;
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    const size_t len = (size_t)pages * ps;

    char *r = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED)
        die_call("mmap");
    if (madvise(r, len, MADV_NOHUGEPAGE) != 0)
        die_call("madvise(MADV_NOHUGEPAGE)");
    for (long i = pages - 1; i >= 0; i--)
        r[(size_t)i * ps] = (char)i;
    STEP("touched_in_reverse", "range.region=%p-%p pages=%ld order=last_first", (void *)r, (void *)(r + len), pages);

    if (madvise(r, len, MADV_DONTNEED) != 0)
        die_call("madvise(MADV_DONTNEED)");
    for (long i = 0; i < pages; i++)
        r[(size_t)i * ps] = (char)i;
    STEP("retouched_after_dontneed", "range.region=%p-%p pages=%ld order=first_first", (void *)r, (void *)(r + len),
         pages);
    sample_hold();

    STEP_PLAIN("done");
    munmap(r, len);
    return 0;
}
