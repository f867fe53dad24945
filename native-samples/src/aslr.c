/*
 * aslr: one step announcing where each kind of region landed in this run (stack, executable, heap, an anonymous
 * mmap, libc, the dynamic loader, the vDSO), for statistics over many runs (SAMPLE_NOPAUSE=1) and for comparing
 * runs with and without ADDR_NO_RANDOMIZE (setarch -R). Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>

static const char usage[] =
    "usage: aslr\n"
    "  Announces one address in each region kind; run it many times (SAMPLE_NOPAUSE=1) to measure ASLR, or under\n"
    "  'setarch -R' to see it off. Takes no arguments.\n"
    "steps: layout, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after layout until stdin EOF)\n"
    "details: native-samples/README.md\n";

int g_data = 1;

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    volatile int local = 0;
    struct sample_layout l = sample_layout();
    char rnd[32];

    STEP("layout",
         "addr.stack_local=%p addr.exe_code=%p addr.exe_data=%p addr.heap_chunk=%p range.heap=%p-%p "
         "addr.mmap_anon=%p addr.libc_fn=%p addr.ld_base=0x%lx addr.vdso=0x%lx personality=0x%x "
         "addr_no_randomize=%d randomize_va_space=%s",
         (void *)&local, (void *)(uintptr_t)main, (void *)&g_data, (void *)l.chunk, l.brk0, sbrk(0),
         (void *)l.anon, (void *)(uintptr_t)getpid, getauxval(AT_BASE), getauxval(AT_SYSINFO_EHDR),
         (unsigned)l.persona, (l.persona & ADDR_NO_RANDOMIZE) != 0,
         read_first_line("/proc/sys/kernel/randomize_va_space", rnd, sizeof rnd));
    sample_hold();

    STEP_PLAIN("done");
    munmap(l.anon, 4096);
    free(l.chunk);
    return local;
}
