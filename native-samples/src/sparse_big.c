/*
 * sparse_big [SPARSE_MIB [DENSE_MIB [ZERO_MIB]]]: the workload of the page-residency benchmark.
 * Defaults 8192, 1024, 0. All regions are MADV_NOHUGEPAGE, so every resident page is a 4 KiB page.
 *
 *   sparse  SPARSE_MIB private anonymous, MAP_NORESERVE; every 16th page written (sparse_touched pages)
 *   dense   DENSE_MIB private anonymous; every page written (dense_touched pages)
 *   zero    ZERO_MIB private anonymous; every page read, never written, so each maps the shared zero page
 *           (zero_read pages); only created when ZERO_MIB > 0
 *
 * Steps: 1 "ready": range.sparse, range.dense, [range.zero], stride_pages=16, sparse_touched, dense_touched,
 * zero_read, page_size. Then sample_hold(), 2 "done".
 * Regions that end up adjacent with equal flags may share one maps line: locate the announced ranges.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

#define STRIDE_PAGES 16

static long parse_mib(const char *s, const char *what, long min)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > (1L << 26))
        die(2, "sparse_big: %s must be a number of MiB >= %ld, got '%s'", what, min, s);
    return v;
}

static char *map_region(size_t len, int extra_flags, const char *what)
{
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
    if (p == MAP_FAILED)
        die(1, "sparse_big: mmap %zu bytes for the %s region: %s", len, what, errno_name(errno));
    if (madvise(p, len, MADV_NOHUGEPAGE) != 0)
        die(1, "sparse_big: madvise(MADV_NOHUGEPAGE) on the %s region: %s", what, errno_name(errno));
    return p;
}

static const char usage[] =
    "usage: sparse_big [SPARSE_MIB [DENSE_MIB [ZERO_MIB]]]\n"
    "  Defaults 8192 1024 0: a sparse region with every 16th page written, a dense one fully written, and a\n"
    "  zero one read but never written. All MADV_NOHUGEPAGE.\n"
    "steps: ready, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after ready until stdin EOF)\n"
    "details: native-samples/README.md\n";

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 4)
        die(2, "usage: sparse_big [SPARSE_MIB [DENSE_MIB [ZERO_MIB]]]   (defaults 8192 1024 0)");
    long sparse_mib = argc > 1 ? parse_mib(argv[1], "SPARSE_MIB", 1) : 8192;
    long dense_mib = argc > 2 ? parse_mib(argv[2], "DENSE_MIB", 1) : 1024;
    long zero_mib = argc > 3 ? parse_mib(argv[3], "ZERO_MIB", 0) : 0;
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    const size_t mib = 1u << 20;

    size_t sparse_len = (size_t)sparse_mib * mib;
    char *sparse = map_region(sparse_len, MAP_NORESERVE, "sparse");
    long sparse_touched = 0;
    for (size_t off = 0; off < sparse_len; off += STRIDE_PAGES * ps, sparse_touched++)
        sparse[off] = 1;

    size_t dense_len = (size_t)dense_mib * mib;
    char *dense = map_region(dense_len, 0, "dense");
    long dense_touched = 0;
    for (size_t off = 0; off < dense_len; off += ps, dense_touched++)
        dense[off] = 1;

    size_t zero_len = (size_t)zero_mib * mib;
    char *zero = NULL;
    long zero_read = 0;
    if (zero_len > 0) {
        zero = map_region(zero_len, 0, "zero");
        volatile const char *z = zero;
        for (size_t off = 0; off < zero_len; off += ps, zero_read++)
            (void)z[off];
    }

    char zero_range[64] = "";
    if (zero != NULL)
        snprintf(zero_range, sizeof zero_range, " range.zero=%p-%p", (void *)zero, (void *)(zero + zero_len));
    STEP("ready",
         "range.sparse=%p-%p range.dense=%p-%p%s stride_pages=%d sparse_touched=%ld dense_touched=%ld "
         "zero_read=%ld page_size=%zu",
         (void *)sparse, (void *)(sparse + sparse_len), (void *)dense, (void *)(dense + dense_len), zero_range,
         STRIDE_PAGES, sparse_touched, dense_touched, zero_read, ps);
    sample_hold();
    STEP_PLAIN("done");
    return 0;
}
