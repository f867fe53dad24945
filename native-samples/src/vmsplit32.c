/*
 * vmsplit32 (built with gcc -m32): a 32-bit process on a 64-bit kernel. The documents' 3 GiB user / 1 GiB kernel
 * split belongs to 32-bit kernels; here the kernel lives above 4 GiB, so a 32-bit process may map almost all of
 * its 4 GiB (unless run with the ADDR_LIMIT_3GB personality, setarch --3gb). Steps and keys:
 * native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>

#define ABOVE_3GIB 0xc0000000u
#define TOP_PAGE 0xffffd000u   /* the highest page below the compat task size 0xffffe000 */
#define LAST_PAGE 0xfffff000u  /* always beyond it */

static const char usage[] =
    "usage: vmsplit32\n"
    "  A 32-bit program: announces its layout, then maps a page at 3 GiB and probes the top of its 4 GiB.\n"
    "  Takes no arguments. Built only where 'gcc -m32' works (Debian: gcc-multilib); runs only where the kernel\n"
    "  runs 32-bit programs (IA32 emulation), else exec fails with ENOEXEC.\n"
    "steps: layout, mapped_above_3GiB, top_of_user_space, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after top_of_user_space until stdin EOF)\n"
    "details: native-samples/README.md\n";

static char *map_at(uintptr_t at)
{
    char *p = mmap((void *)at, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
                   0);
    return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    volatile int local = 0;
    struct sample_layout l = sample_layout();
    STEP("layout", "pointer_bits=%u addr.stack_local=%p addr.exe_code=%p addr.heap_chunk=%p range.heap=%p-%p "
         "addr.mmap_anon=%p addr.libc_fn=%p addr.vdso=0x%lx personality=0x%x addr_limit_3gb=%d",
         (unsigned)(sizeof(void *) * 8), (void *)&local, (void *)(uintptr_t)main, (void *)l.chunk, l.brk0,
         sbrk(0), (void *)l.anon, (void *)(uintptr_t)getpid, getauxval(AT_SYSINFO_EHDR), (unsigned)l.persona,
         (l.persona & ADDR_LIMIT_3GB) != 0);

    char *above = map_at(ABOVE_3GIB);
    if (above != NULL) {
        above[0] = 1;
        STEP("mapped_above_3GiB", "at=0x%x result=ok addr.above_3GiB=%p", ABOVE_3GIB, (void *)above);
    } else {
        STEP("mapped_above_3GiB", "at=0x%x result=%s", ABOVE_3GIB, errno_name(errno));
    }

    char *top = map_at(TOP_PAGE);
    const char *top_result = top != NULL ? "ok" : errno_name(errno);
    char *last = map_at(LAST_PAGE);
    const char *last_result = last != NULL ? "ok" : errno_name(errno);
    char top_key[48] = "";
    if (top != NULL)
        snprintf(top_key, sizeof top_key, " addr.top_page=%p", (void *)top);
    STEP("top_of_user_space", "top_page=0x%x top_page_result=%s%s last_page=0x%x last_page_result=%s", TOP_PAGE,
         top_result, top_key, LAST_PAGE, last_result);
    sample_hold();

    STEP_PLAIN("done");
    free(l.chunk);
    return local;
}
