/*
 * stack_vs_heap: the stack grows down one 64 KiB frame at a time and does not shrink when the frames return; the
 * brk heap grows up; anonymous mmaps are placed top-down. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

#define FRAME_BYTES (64u << 10)
#define DEPTH 3
#define HEAP_ALLOCS 3
#define HEAP_CHUNK 40000
#define MAP_ALLOCS 2
#define MAP_BYTES (1u << 20)

static const char usage[] =
    "usage: stack_vs_heap\n"
    "  Three nested calls with a 64 KiB local buffer each, then three malloc(40000), then two 1 MiB mmaps.\n"
    "  Takes no arguments.\n"
    "steps: start, stack_frame (x3, depth=1..3), frames_returned, heap_alloc (x3, n=1..3), mmap_alloc (x2, n=1..2),\n"
    "       done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after the last mmap_alloc until stdin EOF)\n"
    "details: native-samples/README.md\n";

static uintptr_t deepest_local;

static inline void *stack_pointer(void)
{
#if defined(__x86_64__)
    void *sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    return sp;
#else
    return __builtin_frame_address(0);
#endif
}

static void __attribute__((noinline)) frame(int depth)
{
    volatile char buf[FRAME_BYTES];
    memset((char *)buf, 'f', sizeof buf); /* touch it: the stack VMA grows to cover the whole frame */
    void *fp = __builtin_frame_address(0);
    STEP("stack_frame", "depth=%d addr.local=%p addr.sp=%p addr.frame=%p addr.caller_frame=%p frame_bytes=%u",
         depth, (void *)buf, stack_pointer(), fp, *(void **)fp, FRAME_BYTES);
    deepest_local = (uintptr_t)buf;
    if (depth < DEPTH)
        frame(depth + 1);
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    volatile int main_local = 1;
    void *brk0 = sbrk(0);
    STEP("start", "addr.main_local=%p addr.sp=%p addr.brk=%p", (void *)&main_local, stack_pointer(), brk0);

    frame(1);
    STEP("frames_returned", "addr.main_local=%p addr.sp=%p addr.deepest_local=%p", (void *)&main_local,
         stack_pointer(), (void *)deepest_local);

    char *chunks[HEAP_ALLOCS];
    for (int i = 0; i < HEAP_ALLOCS; i++) {
        chunks[i] = malloc(HEAP_CHUNK);
        if (chunks[i] == NULL)
            die_call("malloc(40000)");
        memset(chunks[i], 'h', HEAP_CHUNK);
        STEP("heap_alloc", "n=%d size=%d addr.chunk=%p higher_than_prev=%d range.heap=%p-%p", i + 1, HEAP_CHUNK,
             (void *)chunks[i], i == 0 ? 1 : chunks[i] > chunks[i - 1], brk0, sbrk(0));
    }

    char *maps[MAP_ALLOCS];
    for (int i = 0; i < MAP_ALLOCS; i++) {
        maps[i] = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (maps[i] == MAP_FAILED)
            die_call("mmap 1 MiB");
        maps[i][0] = 'm';
        STEP("mmap_alloc", "n=%d size=%u addr.map=%p range.map=%p-%p lower_than_prev=%d", i + 1, MAP_BYTES,
             (void *)maps[i], (void *)maps[i], (void *)(maps[i] + MAP_BYTES), i == 0 ? 1 : maps[i] < maps[i - 1]);
    }
    sample_hold();

    STEP_PLAIN("done");
    for (int i = 0; i < HEAP_ALLOCS; i++)
        free(chunks[i]);
    for (int i = 0; i < MAP_ALLOCS; i++)
        munmap(maps[i], MAP_BYTES);
    return 0;
}
