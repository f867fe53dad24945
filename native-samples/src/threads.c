/*
 * threads: every thread has its own stack, an anonymous mapping made by glibc (not the kernel's [stack]) with a
 * PROT_NONE guard page below it, and allocates from its own malloc arena (a 64 MiB-aligned anonymous reservation),
 * not from [heap]. Each thread announces itself in turn (the step stops the whole process). After the join the
 * stacks stay mapped: glibc keeps them for reuse. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/syscall.h>

#define MAX_THREADS 16

static const char usage[] =
    "usage: threads [THREADS]\n"
    "  THREADS: worker threads, 1 to 16 (default 2), created one at a time; each mallocs 1000 bytes.\n"
    "steps: main_only, thread_running (once per thread, index=0..THREADS-1), all_threads_alive, threads_joined,\n"
    "       done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after all_threads_alive until stdin EOF);\n"
    "  MALLOC_ARENA_MAX=1 makes every thread allocate from the main arena ([heap])\n"
    "details: native-samples/README.md\n";

struct worker {
    pthread_t thread;
    int index;
    pid_t tid;
    uintptr_t stack_local;
};

static __thread char tls_var[64];
static struct worker workers[MAX_THREADS];
static sem_t announced;
static int release_pipe[2];

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    volatile char local[64];
    local[0] = 'l';
    w->tid = (pid_t)syscall(SYS_gettid);
    w->stack_local = (uintptr_t)local;
    tls_var[0] = 't';
    char *chunk = malloc(1000);
    if (chunk == NULL)
        die_call("malloc in a thread");
    memset(chunk, 'w', 1000);

    pthread_attr_t attr;
    void *stack_lo;
    size_t stack_len, guard;
    int rc = pthread_getattr_np(pthread_self(), &attr);
    if (rc != 0) {
        errno = rc;
        die_call("pthread_getattr_np");
    }
    pthread_attr_getstack(&attr, &stack_lo, &stack_len);
    pthread_attr_getguardsize(&attr, &guard);
    pthread_attr_destroy(&attr);
    char *lo = stack_lo;
    /* glibc reports the stack without its guard, which sits right below it. */
    STEP("thread_running", "index=%d tid=%d addr.stack_local=%p addr.tls=%p addr.chunk=%p range.stack=%p-%p "
         "range.guard=%p-%p stack_kib=%zu guard_bytes=%zu",
         w->index, (int)w->tid, (void *)local, (void *)tls_var, (void *)chunk, (void *)lo,
         (void *)(lo + stack_len), (void *)(lo - guard), (void *)lo, stack_len / 1024, guard);
    sem_post(&announced);

    char c;
    while (read(release_pipe[0], &c, 1) < 0 && errno == EINTR)
        ;
    free(chunk);
    return NULL;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2)
        usage_error("takes at most one argument (THREADS)");
    int n = argc == 2 ? (int)parse_long_arg(argv[1], "THREADS", 1, MAX_THREADS) : 2;

    volatile int main_local = 0;
    char *main_chunk = malloc(1000);
    if (main_chunk == NULL)
        die_call("malloc in main");
    memset(main_chunk, 'm', 1000);
    STEP("main_only", "tid=%d addr.main_local=%p addr.main_chunk=%p", (int)getpid(), (void *)&main_local,
         (void *)main_chunk);

    if (pipe2(release_pipe, O_CLOEXEC) != 0)
        die_call("pipe2");
    if (sem_init(&announced, 0, 0) != 0)
        die_call("sem_init");
    for (int i = 0; i < n; i++) {
        workers[i].index = i;
        int rc = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
        if (rc != 0) {
            errno = rc;
            die_call("pthread_create");
        }
        while (sem_wait(&announced) != 0 && errno == EINTR)
            ;
    }

    char payload[STEP_LINE_MAX - 128];
    int len = snprintf(payload, sizeof payload, "threads=%d tid.main=%d addr.main_chunk=%p", n, (int)getpid(),
                       (void *)main_chunk);
    for (int i = 0; i < n && len < (int)sizeof payload; i++)
        len += snprintf(payload + len, sizeof payload - (size_t)len, " tid.%d=%d", i, (int)workers[i].tid);
    STEP("all_threads_alive", "%s", payload);
    sample_hold();

    close(release_pipe[1]); /* EOF releases every worker */
    for (int i = 0; i < n; i++)
        pthread_join(workers[i].thread, NULL);
    len = snprintf(payload, sizeof payload, "threads=%d", n);
    for (int i = 0; i < n && len < (int)sizeof payload; i++)
        len += snprintf(payload + len, sizeof payload - (size_t)len, " addr.old_stack.%d=0x%lx", i,
                        (unsigned long)workers[i].stack_local);
    STEP("threads_joined", "%s", payload);

    STEP_PLAIN("done");
    free(main_chunk);
    return main_local;
}
