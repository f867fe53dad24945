/*
 * The STEP protocol shared by the sample programs (see /work/shared/model/samples.md).
 *
 *   STEP(name, fmt, ...)  writes one line
 *       @@STEP <n> <name> pid=<pid> <payload formatted from fmt>
 *   to stdout with write(2), then raise(SIGSTOP) unless SAMPLE_NOPAUSE=1.
 *   Payload keys: addr.<label>=0x... (an address to locate), range.<label>=0xLO-0xHI (a range to walk, HI
 *   exclusive), anything else is informational. Values never contain spaces.
 *   STEP_PLAIN(name) is a step without payload.
 *
 *   The line is built with snprintf in a stack buffer and written with write(2): no stdio buffer and no malloc, so
 *   a step never creates [heap] or changes the mappings it reports. One line is at most STEP_LINE_MAX bytes, which is
 *   PIPE_BUF, so a line written to a pipe is never interleaved with another thread's line.
 *
 *   sample_hold(): called after the step a test inspects (usually "ready"). When SAMPLE_HOLD=1 it blocks until stdin
 *   reaches EOF (a pipe, socket or terminal) or, when stdin is anything else (e.g. /dev/null), until a signal ends
 *   the process. Without SAMPLE_HOLD it returns at once. Every program's last step is "done", then it exits 0.
 *
 *   sample_on_term(cleanup): SIGTERM, SIGINT and SIGHUP run cleanup (which must be async-signal-safe: unlink,
 *   rmdir, close) and _exit(128 + signal); SIGPIPE is ignored. A stopped sample handles SIGTERM only after SIGCONT.
 *
 * Include this header first: it defines _GNU_SOURCE.
 */
#ifndef INSPECTOR_PAUSE_H
#define INSPECTOR_PAUSE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STEP_LINE_MAX 4096

static int step_nopause_flag = -1;
static int step_counter;
static void (*step_cleanup_fn)(void);

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

__attribute__((format(printf, 2, 0)))
static inline void step_vemit(const char *name, const char *fmt, va_list ap)
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
    if (!step_nopause_flag)
        raise(SIGSTOP); /* from any thread this is a group stop: the whole process stops */
    errno = saved_errno;
}

__attribute__((format(printf, 2, 3)))
static inline void step_emit(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    step_vemit(name, fmt, ap);
    va_end(ap);
}

#define STEP(name, ...) step_emit((name), __VA_ARGS__)
#define STEP_PLAIN(name) step_emit((name), NULL)

/* errno by name for STEP payloads and error lines, e.g. "EINVAL" (glibc 2.32+). */
static inline const char *errno_name(int e)
{
    const char *s = strerrorname_np(e);
    return s != NULL ? s : "EUNKNOWN";
}

static inline void step_on_signal(int sig)
{
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

/* Print "prog: message" to stderr (unbuffered, no malloc) and exit with the given status. */
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
    if (step_cleanup_fn != NULL)
        step_cleanup_fn();
    _exit(status);
}

#endif
