/*
 * segments: where a program's code, literals, constants, initialised and zero data, a large bss, a local and the
 * first malloc land in the address space, and that [heap] appears only with the first malloc.
 * Nothing before the last step uses stdio or malloc (a stdout buffer is a malloc: it would create [heap]).
 * Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>

#define BIG_BSS (1u << 20)

static const char usage[] =
    "usage: segments\n"
    "  Shows where code, a string literal, const data, .data, .bss (small, zero-initialised and a 1 MiB array),\n"
    "  a local and the first malloc live. Takes no arguments.\n"
    "steps: start_no_malloc_yet, after_write_data, after_touch_big_bss, after_first_malloc, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after after_first_malloc until stdin EOF)\n"
    "details: native-samples/README.md\n";

int g_init = 42;                 /* .data */
int g_uninit;                    /* .bss */
int g_zero = 0;                  /* .bss too: zero-initialised */
static char g_bigbss[BIG_BSS];   /* .bss, larger than the file's last page: an anonymous line of its own */
const char g_ro[] = "read-only"; /* .rodata */

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    volatile int local = 7;
    const char *literal = "a string literal";
    void *brk0 = sbrk(0);

    STEP("start_no_malloc_yet",
         "addr.code=%p addr.literal=%p addr.rodata=%p addr.data=%p addr.bss_small=%p addr.bss_zero=%p "
         "addr.bss_big=%p addr.bss_big_end=%p addr.local=%p addr.brk=%p range.bss_big=%p-%p",
         (void *)(uintptr_t)main, (const void *)literal, (const void *)g_ro, (void *)&g_init, (void *)&g_uninit,
         (void *)&g_zero, (void *)g_bigbss, (void *)(g_bigbss + BIG_BSS - 1), (void *)&local, brk0,
         (void *)g_bigbss, (void *)(g_bigbss + BIG_BSS));

    g_init = 43;
    STEP("after_write_data", "addr.data=%p value=%d", (void *)&g_init, g_init);

    memset(g_bigbss, 'b', BIG_BSS);
    STEP("after_touch_big_bss", "addr.bss_big=%p range.bss_big=%p-%p pages=%zu", (void *)g_bigbss,
         (void *)g_bigbss, (void *)(g_bigbss + BIG_BSS), (size_t)BIG_BSS / (size_t)sysconf(_SC_PAGESIZE));

    char *chunk = malloc(16);
    if (chunk == NULL)
        die_call("malloc(16)");
    memset(chunk, 'h', 16);
    STEP("after_first_malloc", "addr.heap_chunk=%p range.heap=%p-%p heap_offset=0x%lx", (void *)chunk, brk0,
         sbrk(0), (unsigned long)(chunk - (char *)brk0));
    sample_hold();

    STEP_PLAIN("done");
    free(chunk);
    return (int)(local - 7);
}
