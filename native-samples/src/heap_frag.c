/*
 * heap_frag: heap blocks live until freed, a freed hole is reused, freeing almost everything leaves [heap] as large
 * as before (the top block pins the break), and malloc_trim gives the free pages back without moving the break
 * below the top block. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <malloc.h>
#include <stdint.h>

#define BLOCKS 100
#define BLOCK_BYTES 10000
#define HOLE 50
#define SMALL 5000

static const char usage[] =
    "usage: heap_frag\n"
    "  100 x malloc(10000), free block 50 and malloc(5000) into the hole, free all but the top block, then\n"
    "  malloc_trim(0). Takes no arguments.\n"
    "steps: allocated_100x10000, hole_reused, freed_all_but_top_block, after_malloc_trim, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after after_malloc_trim until stdin EOF)\n"
    "details: native-samples/README.md\n";

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    void *brk0 = sbrk(0);
    char *blocks[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(BLOCK_BYTES);
        if (blocks[i] == NULL)
            die_call("malloc(10000)");
        memset(blocks[i], 'a' + i % 26, BLOCK_BYTES);
    }
    STEP("allocated_100x10000", "count=%d size=%d addr.first=%p addr.hole=%p addr.top_block=%p range.heap=%p-%p",
         BLOCKS, BLOCK_BYTES, (void *)blocks[0], (void *)blocks[HOLE], (void *)blocks[BLOCKS - 1], brk0, sbrk(0));

    unsigned long hole = (unsigned long)(uintptr_t)blocks[HOLE];
    free(blocks[HOLE]);
    blocks[HOLE] = NULL;
    char *small = malloc(SMALL);
    if (small == NULL)
        die_call("malloc(5000)");
    memset(small, 's', SMALL);
    STEP("hole_reused", "addr.hole=0x%lx addr.new_block=%p size=%d same=%d range.heap=%p-%p", hole, (void *)small,
         SMALL, (unsigned long)(uintptr_t)small == hole, brk0, sbrk(0));

    int freed = 1;
    for (int i = 0; i < BLOCKS - 1; i++) {
        if (blocks[i] != NULL) {
            free(blocks[i]);
            blocks[i] = NULL;
            freed++;
        }
    }
    free(small);
    freed++;
    STEP("freed_all_but_top_block", "freed=%d addr.top_block=%p range.heap=%p-%p", freed, (void *)blocks[BLOCKS - 1],
         brk0, sbrk(0));

    int trimmed = malloc_trim(0);
    STEP("after_malloc_trim", "trimmed=%d addr.top_block=%p range.heap=%p-%p", trimmed, (void *)blocks[BLOCKS - 1],
         brk0, sbrk(0));
    sample_hold();

    STEP_PLAIN("done");
    free(blocks[BLOCKS - 1]);
    return 0;
}
