/*
 * stack_overflow: the main stack grows on demand to any address within RLIMIT_STACK (a touch 2 MiB below the stack
 * pointer extends it at once), never closer than the stack guard gap to the mapping below it, and recursion past
 * that is a SIGSEGV. The handler runs on a sigaltstack (the faulting stack has no room left), announces the fault
 * from there, then jumps back to main, which announces done. With "gap" a one-page blocker is mapped 4 MiB below
 * the stack pointer first, so the stack hits the guard gap long before the rlimit. Steps and keys:
 * native-samples/README.md.
 */
#include "pause.h"

#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define FRAME_BYTES (64u << 10)
#define KIB 1024ul
#define MIB (1024ul * 1024ul)
#define TOUCH_BELOW (2 * MIB)
#define BLOCKER_BELOW (4 * MIB)
#define BOUNDED_FRAMES 16

static const char usage[] =
    "usage: stack_overflow [gap]\n"
    "  gap: map a one-page blocker 4 MiB below the stack pointer first: the overflow then comes at the stack\n"
    "       guard gap above the blocker, not at RLIMIT_STACK.\n"
    "  RLIMIT_STACK is used as it is when it lies between 4 MiB and 64 MiB; otherwise the soft limit is set to\n"
    "  8 MiB (rlimit_changed=1).\n"
    "steps: start, touched_below_sp, placed_blocker (only with gap), recursed, overflow_sigsegv (announced by the\n"
    "       SIGSEGV handler on its alternate stack), done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after recursed until stdin EOF)\n"
    "details: native-samples/README.md\n";

static sigjmp_buf back;
static uintptr_t top_local;            /* address of a local in main: depths are measured from it */
static volatile uintptr_t deepest;     /* the lowest frame buffer reached */
static volatile int frames;
static char *altstack;
static const size_t altstack_len = 64u << 10;

static inline uintptr_t stack_pointer(void)
{
#if defined(__x86_64__)
    uintptr_t sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    return sp;
#else
    return (uintptr_t)__builtin_frame_address(0);
#endif
}

static const char *si_code_name(int code)
{
    return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR"
         : code == SI_KERNEL ? "SI_KERNEL" : "OTHER";
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    volatile int here = 0;
    STEP("overflow_sigsegv",
         "signal=SIG%s si_code=%d si_code_name=%s addr.si_addr=0x%lx addr.deepest_local=0x%lx depth_kib=%lu "
         "frames=%d addr.handler_local=%p range.altstack=%p-%p",
         sigabbrev_np(sig), si->si_code, si_code_name(si->si_code), (unsigned long)(uintptr_t)si->si_addr,
         (unsigned long)deepest, (unsigned long)((top_local - deepest) / KIB), frames, (void *)&here,
         (void *)altstack, (void *)(altstack + altstack_len));
    siglongjmp(back, 1);
}

/* limit < 0: recurse until the stack cannot grow. */
static void __attribute__((noinline)) recurse(int limit)
{
    volatile char buf[FRAME_BYTES];
    memset((char *)buf, 'r', sizeof buf);
    deepest = (uintptr_t)buf;
    frames++;
    if (limit < 0 || frames < limit) {
        recurse(limit);
    } else {
        STEP("recursed", "frames=%d frame_bytes=%u addr.deepest_local=0x%lx depth_kib=%lu", frames, FRAME_BYTES,
             (unsigned long)deepest, (unsigned long)((top_local - deepest) / KIB));
        sample_hold();
    }
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "gap") != 0))
        usage_error("the only argument is 'gap', got '%s'", argv[1]);
    int gap = argc == 2;
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);

    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0)
        die_call("getrlimit(RLIMIT_STACK)");
    int changed = 0;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur < 4 * MIB || rl.rlim_cur > 64 * MIB) {
        rl.rlim_cur = 8 * MIB;
        if (setrlimit(RLIMIT_STACK, &rl) != 0)
            die_call("setrlimit(RLIMIT_STACK, 8 MiB)");
        changed = 1;
    }

    altstack = mmap(NULL, altstack_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (altstack == MAP_FAILED)
        die_call("mmap the alternate signal stack");
    stack_t ss = {.ss_sp = altstack, .ss_size = altstack_len, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0)
        die_call("sigaltstack");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0)
        die_call("sigaction(SIGSEGV)");

    volatile int main_local = 0;
    top_local = (uintptr_t)&main_local;
    uintptr_t sp = stack_pointer();
    STEP("start", "rlimit_stack_kib=%lu rlimit_changed=%d addr.main_local=%p addr.sp=0x%lx range.altstack=%p-%p",
         (unsigned long)(rl.rlim_cur / KIB), changed, (void *)&main_local, (unsigned long)sp, (void *)altstack,
         (void *)(altstack + altstack_len));

    if (sigsetjmp(back, 1) == 0) {
        /* Nothing between the stack pointer and this byte is touched: the stack still grows to cover it. */
        volatile char *below = (volatile char *)(sp - TOUCH_BELOW);
        *below = 't';
        STEP("touched_below_sp", "addr.touched=%p below_sp_kib=%lu", (void *)below,
             (unsigned long)(TOUCH_BELOW / KIB));

        if (gap) {
            uintptr_t want = ((sp - BLOCKER_BELOW) & ~(uintptr_t)(ps - 1));
            char *blocker = mmap((void *)want, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                                 -1, 0);
            if (blocker == MAP_FAILED)
                die_call("mmap the blocker page (MAP_FIXED_NOREPLACE) 4 MiB below the stack pointer");
            STEP("placed_blocker", "addr.blocker=%p range.blocker=%p-%p below_sp_kib=%lu", (void *)blocker,
                 (void *)blocker, (void *)(blocker + ps), (unsigned long)((sp - want) / KIB));
        }

        frames = 0;
        recurse(BOUNDED_FRAMES);
        frames = 0;
        recurse(-1);
        die(1, "%s: unbounded recursion returned", sample_prog());
    }
    STEP_PLAIN("done");
    return main_local;
}
