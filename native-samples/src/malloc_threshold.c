/*
 * malloc_threshold: which requests glibc's malloc serves from the brk heap and which from a mapping of their own,
 * and how freeing a mapped chunk raises the threshold (up to a cap). Each allocation step announces what the chunk
 * header says (the size word before the pointer; bit 0x2 is IS_MMAPPED) so a tool can check it against maps.
 * Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>

#define MIB (1ul << 20)

static const char usage[] =
    "usage: malloc_threshold\n"
    "  malloc 16 B, then 200000 B, 1 MiB and 33 MiB each served, freed and asked for again, then 2 MiB.\n"
    "  Takes no arguments.\n"
    "steps: start, malloc_16, malloc_200000_first, free_200000, malloc_200000_again, malloc_1MiB_first, free_1MiB,\n"
    "       malloc_1MiB_again, malloc_33MiB, free_33MiB, malloc_2MiB, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after malloc_2MiB until stdin EOF);\n"
    "  MALLOC_MMAP_THRESHOLD_=N fixes glibc's threshold (no adaptation): compare the runs\n"
    "details: native-samples/README.md\n";

static void *brk0;

static void announce_alloc(const char *step, size_t size, char *p)
{
    size_t header = ((size_t *)p)[-1];
    int mmapped = (header & 0x2) != 0;
    char mapping[96] = "";
    if (mmapped) {
        /* An mmapped chunk starts 16 bytes before the pointer and its size word is the mapping's length. */
        char *start = p - 2 * sizeof(size_t);
        snprintf(mapping, sizeof mapping, " range.chunk_mapping=%p-%p", (void *)start,
                 (void *)(start + (header & ~(size_t)7)));
    }
    STEP(step, "size=%zu addr.chunk=%p chunk_header=0x%zx mmapped=%d range.heap=%p-%p%s", size, (void *)p, header,
         mmapped, brk0, sbrk(0), mapping);
}

static char *alloc(const char *step, size_t size)
{
    char *p = malloc(size);
    if (p == NULL)
        die(1, "%s: malloc(%zu): %s", sample_prog(), size, errno_name(errno));
    p[0] = 'x';
    p[size - 1] = 'x';
    announce_alloc(step, size, p);
    return p;
}

static void release(const char *step, char *p)
{
    int was_mmapped = (((size_t *)p)[-1] & 0x2) != 0;
    unsigned long freed = (unsigned long)(uintptr_t)p;
    free(p);
    /* A freed mmapped chunk is unmapped: addr.freed then lies in no mapping. */
    STEP(step, "addr.freed=0x%lx was_mmapped=%d range.heap=%p-%p", freed, was_mmapped, brk0, sbrk(0));
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    char env[64];
    const char *fixed = getenv("MALLOC_MMAP_THRESHOLD_");
    snprintf(env, sizeof env, "%s", fixed != NULL && *fixed != '\0' && strchr(fixed, ' ') == NULL ? fixed : "unset");
    brk0 = sbrk(0);
    STEP("start", "addr.brk=%p mmap_threshold_env=%s", brk0, env);

    char *tiny = alloc("malloc_16", 16);
    char *a = alloc("malloc_200000_first", 200000);
    release("free_200000", a);
    char *b = alloc("malloc_200000_again", 200000);
    char *c = alloc("malloc_1MiB_first", MIB);
    release("free_1MiB", c);
    char *d = alloc("malloc_1MiB_again", MIB);
    char *e = alloc("malloc_33MiB", 33 * MIB);
    release("free_33MiB", e);
    char *f = alloc("malloc_2MiB", 2 * MIB);
    sample_hold();

    STEP_PLAIN("done");
    free(f);
    free(d);
    free(b);
    free(tiny);
    return 0;
}
