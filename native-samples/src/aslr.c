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
    void *brk0 = sbrk(0);
    char *chunk = malloc(16);
    if (chunk == NULL)
        die_call("malloc(16)");
    char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (anon == MAP_FAILED)
        die_call("mmap one page");
    anon[0] = 1;
    int persona = personality(0xffffffff);
    char rnd[32];

    STEP("layout",
         "addr.stack_local=%p addr.exe_code=%p addr.exe_data=%p addr.heap_chunk=%p range.heap=%p-%p "
         "addr.mmap_anon=%p addr.libc_fn=%p addr.ld_base=0x%lx addr.vdso=0x%lx personality=0x%x "
         "addr_no_randomize=%d randomize_va_space=%s",
         (void *)&local, (void *)(uintptr_t)main, (void *)&g_data, (void *)chunk, brk0, sbrk(0), (void *)anon,
         (void *)(uintptr_t)getpid, getauxval(AT_BASE), getauxval(AT_SYSINFO_EHDR), (unsigned)persona,
         (persona & ADDR_NO_RANDOMIZE) != 0,
         read_first_line("/proc/sys/kernel/randomize_va_space", rnd, sizeof rnd));
    sample_hold();

    STEP_PLAIN("done");
    munmap(anon, 4096);
    free(chunk);
    return local;
}
