/*
 * pthread_exit_leader [THREADS]: a hostile target for the inspector (issue 9): the main thread calls pthread_exit
 * while the other threads keep running. The process is alive, but its leader (the thread whose tid is the pid) is
 * a zombie: /proc/PID/stat reads state Z, ps shows "Zl", and /proc/PID/task/ still lists the live threads.
 * Worker 0 waits until the kernel shows the leader as a zombie, then announces leader_exited. That step and done do
 * not stop the process (stop=no on the line): a watcher that waits until every thread reads 'T' would wait forever
 * on the zombie leader. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#define MAX_THREADS 16

static const char usage[] =
    "usage: pthread_exit_leader [THREADS]\n"
    "  THREADS: threads that outlive the main thread, 1 to 16 (default 2).\n"
    "steps: ready (every thread alive; stops), leader_exited (stop=no), done (stop=no)\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (after leader_exited, the threads stay until stdin\n"
    "  reaches EOF: the state to inspect); without it the program goes straight on to done and exits 0\n"
    "details: native-samples/README.md\n";

static int n_threads;
static pid_t tids[MAX_THREADS];
static pthread_barrier_t started;
static int quit_pipe[2];

static char leader_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return '?';
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return '?';
    buf[n] = '\0';
    char *paren = strrchr(buf, ')');
    return paren != NULL && paren[1] == ' ' ? paren[2] : '?';
}

static void *worker(void *arg)
{
    int index = (int)(intptr_t)arg;
    tids[index] = (pid_t)syscall(SYS_gettid);
    pthread_barrier_wait(&started);
    if (index != 0) {
        char c;
        while (read(quit_pipe[0], &c, 1) < 0 && errno == EINTR)
            ;
        return NULL;
    }
    pid_t leader = getpid();
    char st = '?';
    for (int i = 0; i < 5000; i++) {
        st = leader_state(leader);
        if (st == 'Z')
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    char payload[1024];
    int len = snprintf(payload, sizeof payload, "leader_tid=%d leader_state=%c threads=%d", (int)leader, st,
                       n_threads);
    for (int i = 0; i < n_threads && len < (int)sizeof payload; i++)
        len += snprintf(payload + len, sizeof payload - (size_t)len, " tid.%d=%d", i, (int)tids[i]);
    STEP_NOSTOP("leader_exited", "%s", payload);
    sample_hold();
    STEP_NOSTOP("done", "threads=%d", n_threads);
    _exit(0); /* ends every thread */
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2)
        usage_error("takes at most one argument (THREADS)");
    n_threads = argc == 2 ? (int)parse_long_arg(argv[1], "THREADS", 1, MAX_THREADS) : 2;
    if (pipe2(quit_pipe, O_CLOEXEC) != 0)
        die_call("pipe2");
    pthread_barrier_init(&started, NULL, (unsigned)n_threads + 1);
    pthread_t th[MAX_THREADS];
    for (int i = 0; i < n_threads; i++) {
        int rc = pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
        if (rc != 0) {
            errno = rc;
            die_call("pthread_create");
        }
    }
    pthread_barrier_wait(&started);
    char payload[1024];
    int len = snprintf(payload, sizeof payload, "threads=%d leader_tid=%d", n_threads, (int)getpid());
    for (int i = 0; i < n_threads && len < (int)sizeof payload; i++)
        len += snprintf(payload + len, sizeof payload - (size_t)len, " tid.%d=%d", i, (int)tids[i]);
    STEP("ready", "%s", payload);
    pthread_exit(NULL);
}
