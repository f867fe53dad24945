/*
 * The STEP protocol shared by the sample programs. The protocol, every program's steps and keys are documented in
 * native-samples/README.md; the claims the samples illustrate are in docs/model/claims.md.
 *
 *   STEP(name, fmt, ...)  writes one line
 *       @@STEP <n> <name> pid=<pid> <payload formatted from fmt>
 *   to stdout with write(2), then raise(SIGSTOP) unless SAMPLE_NOPAUSE=1.
 *   Payload keys: addr.<label>=0x... (an address to locate), range.<label>=0xLO-0xHI (a range to walk, HI
 *   exclusive), anything else is informational. Values never contain spaces.
 *   STEP_PLAIN(name) is a step without payload. STEP_NOSTOP(name, fmt, ...) announces without stopping and adds
 *   stop=no to the line (pthread_exit_leader: a watcher cannot see a group stop once the leader is a zombie).
 *
 *   The line is built with snprintf in a stack buffer and written with write(2): no stdio buffer and no malloc, so
 *   a step never creates [heap] or changes the mappings it reports. One line is at most STEP_LINE_MAX bytes, which is
 *   PIPE_BUF, so a line written to a pipe is never interleaved with another thread's line.
 *
 *   sample_init(argc, argv, usage): --help or -h anywhere prints the usage on stdout and exits 0; installs the
 *   signal handlers below without a cleanup. usage_error(fmt, ...) prints one line and exits 2; die_call(what)
 *   prints "<prog>: <what>: <ERRNO>" and exits 1.
 *
 *   sample_hold(): called after the step a test inspects (usually "ready"). When SAMPLE_HOLD=1 it blocks until stdin
 *   reaches EOF (a pipe, socket or terminal) or, when stdin is anything else (e.g. /dev/null), until a signal ends
 *   the process. Without SAMPLE_HOLD it returns at once. Every program's last step is "done", then it exits 0.
 *
 *   sample_on_term(cleanup): SIGTERM, SIGINT and SIGHUP print one line on stderr saying which signal ended the
 *   program (for SIGHUP: a closed terminal, or a process group orphaned while stopped, which the kernel answers with
 *   SIGHUP then SIGCONT), kill a forked child, run cleanup (which must be async-signal-safe: unlink, rmdir, close)
 *   and _exit(128 + signal); SIGPIPE is ignored. A stopped sample handles these signals only after SIGCONT.
 *
 *   sample_fork(): fork for samples whose child announces its own steps. The child keeps counting steps from the
 *   parent's number, dies with its parent (PR_SET_PDEATHSIG) and has no cleanup; sample_child_report() sends its
 *   step count to the parent, sample_parent_catch_up() waits for such a report and continues the numbering from it,
 *   sample_child_wait() reaps the child (and takes its last report), sample_child_exit() reports and _exits.
 *
 * Include this header first: it defines _GNU_SOURCE.
 */
#ifndef INSPECTOR_PAUSE_H
#define INSPECTOR_PAUSE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define STEP_LINE_MAX 4096

static int step_nopause_flag = -1;
static int step_counter;
static void (*step_cleanup_fn)(void);
static volatile pid_t step_child_pid;
static int step_report_pipe[2] = {-1, -1};

static inline int step_env_is_1(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && strcmp(v, "1") == 0;
}

static inline void step_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* stdout closed: nobody is listening, keep running */
        }
        buf += n;
        len -= (size_t)n;
    }
}

__attribute__((format(printf, 3, 0)))
static inline void step_vemit(const char *name, int stop, const char *fmt, va_list ap)
{
    char line[STEP_LINE_MAX];
    int saved_errno = errno;
    int n = snprintf(line, sizeof line, "@@STEP %d %s pid=%d",
                     __atomic_add_fetch(&step_counter, 1, __ATOMIC_SEQ_CST), name, (int)getpid());
    if (fmt != NULL && fmt[0] != '\0' && n < (int)sizeof line - 2) {
        line[n++] = ' ';
        int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
        n = m < 0 ? n : n + m;
    }
    if (!stop && n < (int)sizeof line - 2)
        n += snprintf(line + n, sizeof line - (size_t)n, " stop=no");
    if (n > (int)sizeof line - 2) {
        /* Never emit a partial key: cut back to the last complete key=value. */
        n = (int)sizeof line - 2;
        while (n > 0 && line[n] != ' ')
            n--;
        n += snprintf(line + n, sizeof line - (size_t)n, " truncated=1");
    }
    line[n++] = '\n';
    step_write_all(STDOUT_FILENO, line, (size_t)n);

    if (step_nopause_flag < 0)
        step_nopause_flag = step_env_is_1("SAMPLE_NOPAUSE");
    if (stop && !step_nopause_flag)
        raise(SIGSTOP); /* from any thread this is a group stop: the whole process stops */
    errno = saved_errno;
}

__attribute__((format(printf, 2, 3)))
static inline void step_emit(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    step_vemit(name, 1, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static inline void step_emit_nostop(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    step_vemit(name, 0, fmt, ap);
    va_end(ap);
}

#define STEP(name, ...) step_emit((name), __VA_ARGS__)
#define STEP_PLAIN(name) step_emit((name), NULL)
#define STEP_NOSTOP(name, ...) step_emit_nostop((name), __VA_ARGS__)

/* errno by name for STEP payloads and error lines, e.g. "EINVAL" (glibc 2.32+). */
static inline const char *errno_name(int e)
{
    const char *s = strerrorname_np(e);
    return s != NULL ? s : "EUNKNOWN";
}

/* The program's name for messages: the basename it was run as. */
static inline const char *sample_prog(void)
{
    return program_invocation_short_name;
}

static inline void step_on_signal(int sig)
{
    char line[320];
    const char *why = sig == SIGHUP
        ? "its terminal hung up, or its process group was orphaned while it was stopped (the kernel then sends "
          "SIGHUP and SIGCONT)"
        : sig == SIGINT ? "interrupted" : "asked to terminate";
    const char *abbrev = sigabbrev_np(sig);
    int n = snprintf(line, sizeof line, "%s: got SIG%s: %s; cleaning up and exiting with %d\n", sample_prog(),
                     abbrev != NULL ? abbrev : "?", why, 128 + sig);
    if (n > (int)sizeof line - 1) {
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    if (n > 0)
        step_write_all(STDERR_FILENO, line, (size_t)n);
    if (step_child_pid > 0)
        kill(step_child_pid, SIGKILL); /* a stopped child would otherwise stay stopped forever */
    if (step_cleanup_fn != NULL)
        step_cleanup_fn();
    _exit(128 + sig);
}

static inline void sample_on_term(void (*cleanup)(void))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = step_on_signal;
    sigfillset(&sa.sa_mask);
    step_cleanup_fn = cleanup;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed stdout must not kill the program before its cleanup: step_write_all then just drops the line. */
    signal(SIGPIPE, SIG_IGN);
}

static inline void sample_hold(void)
{
    if (!step_env_is_1("SAMPLE_HOLD"))
        return;
    struct stat st;
    if (fstat(STDIN_FILENO, &st) == 0
        && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(STDIN_FILENO))) {
        char buf[256];
        for (;;) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR))
                return;
        }
    }
    for (;;)
        pause(); /* stdin cannot signal the end (e.g. /dev/null): wait for SIGTERM */
}

/* Print "message" to stderr (unbuffered, no malloc), run the cleanup and exit with the given status. */
__attribute__((format(printf, 2, 3), noreturn))
static inline void die(int status, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    step_write_all(STDERR_FILENO, line, (size_t)n);
    if (step_child_pid > 0)
        kill(step_child_pid, SIGKILL);
    if (step_cleanup_fn != NULL)
        step_cleanup_fn();
    _exit(status);
}

/* A failed call: "<prog>: <what>: <ERRNO>", exit 1. */
__attribute__((noreturn))
static inline void die_call(const char *what)
{
    die(1, "%s: %s: %s", sample_prog(), what, errno_name(errno));
}

/* Bad arguments: "<prog>: <message> (see --help)", exit 2. */
__attribute__((format(printf, 1, 2), noreturn))
static inline void usage_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die(2, "%s: %s (see %s --help)", sample_prog(), msg, sample_prog());
}

/*
 * --help or -h anywhere: print usage and exit 0 (before anything else happens, so a help run maps nothing and
 * leaves nothing behind). Also installs the signal handlers without a cleanup, so every sample says why it ends.
 */
static inline void sample_init(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            step_write_all(STDOUT_FILENO, usage, strlen(usage));
            _exit(0);
        }
    }
    sample_on_term(NULL);
}

/* A decimal argument in [min, max], else usage_error naming what it is. */
static inline long parse_long_arg(const char *s, const char *what, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        usage_error("%s must be a number from %ld to %ld, got '%s'", what, min, max, s);
    return v;
}

/* The text of a small file (e.g. under /proc/sys), first line only, or "?" when unreadable. */
static inline const char *read_first_line(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "?";
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n <= 0)
        return "?";
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* ---- one address in each kind of anonymous region (aslr, vmsplit32) ---- */

struct sample_layout {
    void *brk0;  /* the program break before the heap chunk */
    char *chunk; /* a small malloc chunk: the heap */
    char *anon;  /* one anonymous page, touched: the mmap area */
    int persona; /* personality(2) flags, ADDR_NO_RANDOMIZE among them */
};

static inline struct sample_layout sample_layout(void)
{
    struct sample_layout l;
    l.brk0 = sbrk(0);
    l.chunk = malloc(16);
    if (l.chunk == NULL)
        die_call("malloc(16)");
    l.anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (l.anon == MAP_FAILED)
        die_call("mmap one page");
    l.anon[0] = 1;
    l.persona = personality(0xffffffff);
    return l;
}

/* ---- a data file the sample owns ---- */

static char sample_dir_path[64];
static char sample_file_path[96];
static volatile sig_atomic_t sample_have_dir;

/* Removes the data file and its directory; safe to call again, and from a signal handler (only unlink and rmdir). */
static inline void sample_data_file_remove(void)
{
    if (!sample_have_dir)
        return;
    unlink(sample_file_path);
    rmdir(sample_dir_path);
    sample_have_dir = 0;
}

/* Creates /tmp/inspector-TAG-XXXXXX/data.bin (new, mode 0600) and returns it open read-write; its path is in
 * sample_file_path. Pass sample_data_file_remove to sample_on_term so a signal or die() removes it too. */
static inline int sample_data_file(const char *tag)
{
    snprintf(sample_dir_path, sizeof sample_dir_path, "/tmp/inspector-%s-XXXXXX", tag);
    if (mkdtemp(sample_dir_path) == NULL)
        die_call("mkdtemp /tmp/inspector-*-XXXXXX");
    sample_have_dir = 1;
    snprintf(sample_file_path, sizeof sample_file_path, "%s/data.bin", sample_dir_path);
    int fd = open(sample_file_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        die_call("create data.bin");
    return fd;
}

/* ---- forked children that announce their own steps ---- */

static inline pid_t sample_fork(void)
{
    if (step_report_pipe[0] < 0 && pipe2(step_report_pipe, O_CLOEXEC) != 0)
        die_call("pipe2");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        die_call("fork");
    if (pid == 0) {
        step_cleanup_fn = NULL; /* the parent owns the temp files */
        step_child_pid = 0;
        close(step_report_pipe[0]);
        step_report_pipe[0] = -1;
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1); /* the parent died before the prctl */
        return 0;
    }
    step_child_pid = pid;
    return pid;
}

/* Child: tell the parent how many steps have been announced so far. */
static inline void sample_child_report(void)
{
    int n = __atomic_load_n(&step_counter, __ATOMIC_SEQ_CST);
    step_write_all(step_report_pipe[1], (const char *)&n, sizeof n);
}

__attribute__((noreturn))
static inline void sample_child_exit(int status)
{
    sample_child_report();
    _exit(status);
}

static inline void step_adopt(int n)
{
    if (n > step_counter)
        __atomic_store_n(&step_counter, n, __ATOMIC_SEQ_CST);
}

/* Parent: wait for the child's next report and go on numbering after its steps; 0 when the child is gone. */
static inline int sample_parent_catch_up(void)
{
    int n;
    ssize_t got;
    do {
        got = read(step_report_pipe[0], &n, sizeof n);
    } while (got < 0 && errno == EINTR);
    if (got != (ssize_t)sizeof n)
        return 0;
    step_adopt(n);
    return 1;
}

/* Parent: reap the child (not its stops: no WUNTRACED) and take every report it left; returns the wait status. */
static inline int sample_child_wait(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            die_call("waitpid");
    }
    step_child_pid = 0;
    close(step_report_pipe[1]);
    step_report_pipe[1] = -1;
    while (sample_parent_catch_up())
        ;
    close(step_report_pipe[0]);
    step_report_pipe[0] = -1;
    return st;
}

#endif
