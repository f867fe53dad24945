/*
 * mprotect_fault: permissions are per page (mprotect splits a VMA), and each forbidden access is a SIGSEGV whose
 * si_code says why: SEGV_ACCERR (mapped, wrong permission), SEGV_MAPERR (nothing mapped there), SI_KERNEL (a general
 * protection fault: non-canonical address, I/O port). The SIGSEGV handler announces each fault from inside the
 * handler (the step stops the process there), then jumps back. With the argument "die" the last fault is left to
 * the default action and the process dies of SIGSEGV. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>

static const char usage[] =
    "usage: mprotect_fault [die]\n"
    "  die: after the caught faults, write to a read-only page with the default SIGSEGV action: the process is\n"
    "       killed by signal 11 (exit status 139 from a shell) instead of announcing done.\n"
    "steps: three_rw_pages_one_vma, middle_page_read_only, write_read_only_page, read_prot_none_page,\n"
    "       exec_data_page, write_string_literal, write_own_code, read_unmapped_page, read_null, read_kernel_address,\n"
    "       read_non_canonical, read_vsyscall_page, io_port_instruction (x86 only), then done, or about_to_die\n"
    "       with 'die'\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after the last fault step until stdin EOF)\n"
    "details: native-samples/README.md\n";

static sigjmp_buf back;
static volatile sig_atomic_t expecting;
static const char *volatile cur_step;
static const char *volatile cur_access;
static volatile uintptr_t cur_target;

static const char *si_code_name(int code)
{
    switch (code) {
    case SEGV_MAPERR: return "SEGV_MAPERR";
    case SEGV_ACCERR: return "SEGV_ACCERR";
#ifdef SEGV_BNDERR
    case SEGV_BNDERR: return "SEGV_BNDERR";
#endif
#ifdef SEGV_PKUERR
    case SEGV_PKUERR: return "SEGV_PKUERR";
#endif
    case SI_KERNEL: return "SI_KERNEL";
    default: return "OTHER";
    }
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    if (!expecting) {
        /* Not one of ours: die of it as if no handler were installed. */
        signal(sig, SIG_DFL);
        return;
    }
    expecting = 0;
    STEP(cur_step, "access=%s %s=0x%lx faulted=1 signal=SIG%s signo=%d si_code=%d si_code_name=%s "
         "addr.si_addr=0x%lx",
         cur_access, strcmp(cur_access, "io_port") == 0 ? "port" : "addr.target", (unsigned long)cur_target, sigabbrev_np(sig), sig, si->si_code, si_code_name(si->si_code),
         (unsigned long)(uintptr_t)si->si_addr);
    siglongjmp(back, 1);
}

enum access { READ, WRITE, EXEC, IO_PORT };

/* Runs one access that should fault; the handler announces the step. No fault: the step says faulted=0. */
static void attempt(const char *step, enum access how, uintptr_t target)
{
    static const char *names[] = {"read", "write", "exec", "io_port"};
    cur_step = step;
    cur_access = names[how];
    cur_target = target;
    if (sigsetjmp(back, 1) != 0)
        return;
    expecting = 1;
    volatile char sink;
    switch (how) {
    case READ:
        sink = *(volatile char *)target;
        (void)sink;
        break;
    case WRITE:
        *(volatile char *)target = 'w';
        break;
    case EXEC:
        ((void (*)(void))target)();
        break;
    case IO_PORT:
#if defined(__x86_64__) || defined(__i386__)
        {
            unsigned char v;
            __asm__ volatile("inb $0x80, %0" : "=a"(v));
            (void)v;
        }
#endif
        break;
    }
    expecting = 0;
    STEP(step, "access=%s %s=0x%lx faulted=0", names[how], how == IO_PORT ? "port" : "addr.target",
         (unsigned long)target);
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "die") != 0))
        usage_error("the only argument is 'die', got '%s'", argv[1]);
    int die_at_end = argc == 2;
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);

    /* The handler runs on its own stack, so even a fault with a broken stack pointer could be reported. */
    static char altstack[64 << 10];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0)
        die_call("sigaltstack");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0)
        die_call("sigaction(SIGSEGV)");

    char *area = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        die_call("mmap 3 pages");
    memset(area, 'a', 3 * ps);
    char *middle = area + ps;
    STEP("three_rw_pages_one_vma", "range.area=%p-%p addr.middle=%p pages=3", (void *)area,
         (void *)(area + 3 * ps), (void *)middle);

    if (mprotect(middle, ps, PROT_READ) != 0)
        die_call("mprotect(middle, PROT_READ)");
    STEP("middle_page_read_only", "range.area=%p-%p addr.middle=%p range.middle=%p-%p", (void *)area,
         (void *)(area + 3 * ps), (void *)middle, (void *)middle, (void *)(middle + ps));

    attempt("write_read_only_page", WRITE, (uintptr_t)middle);

    if (mprotect(middle, ps, PROT_NONE) != 0)
        die_call("mprotect(middle, PROT_NONE)");
    attempt("read_prot_none_page", READ, (uintptr_t)middle);

    if (mprotect(middle, ps, PROT_READ | PROT_WRITE) != 0)
        die_call("mprotect(middle, PROT_READ|PROT_WRITE)");
    area[0] = (char)0xc3; /* x86 'ret': it would return at once if this page were executable */
    attempt("exec_data_page", EXEC, (uintptr_t)area);

    const char *literal = "a string literal";
    attempt("write_string_literal", WRITE, (uintptr_t)literal);
    attempt("write_own_code", WRITE, (uintptr_t)main);

    char *gone = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (gone == MAP_FAILED)
        die_call("mmap one page");
    if (munmap(gone, ps) != 0)
        die_call("munmap one page");
    attempt("read_unmapped_page", READ, (uintptr_t)gone);
    attempt("read_null", READ, 0);
#if UINTPTR_MAX > 0xffffffffu
    attempt("read_kernel_address", READ, (uintptr_t)0xffffffff81000000ull);
    attempt("read_non_canonical", READ, (uintptr_t)0x800000000000ull);
    attempt("read_vsyscall_page", READ, (uintptr_t)0xffffffffff600000ull);
#endif
#if defined(__x86_64__) || defined(__i386__)
    attempt("io_port_instruction", IO_PORT, 0x80);
#endif
    sample_hold();

    if (die_at_end) {
        if (mprotect(middle, ps, PROT_READ) != 0)
            die_call("mprotect(middle, PROT_READ)");
        STEP("about_to_die", "access=write addr.target=%p expect_signal=SIGSEGV", (void *)middle);
        signal(SIGSEGV, SIG_DFL);
        *(volatile char *)middle = 'x';
        die(1, "%s: the write to the read-only page at %p did not fault", sample_prog(), (void *)middle);
    }
    STEP_PLAIN("done");
    munmap(area, 3 * ps);
    return 0;
}
