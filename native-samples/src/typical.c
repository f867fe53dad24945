/*
 * typical [THREADS]: an ordinary multi-threaded process (THREADS worker threads, 1..16, default 3).
 *
 * main: eight small mallocs (they create [heap]; heap_chunk is one of them) and one 4 MiB malloc, above glibc's
 * mmap threshold, so it is an mmapped chunk in an anonymous mapping (big_chunk; its first and last pages are
 * written). Each worker mallocs 1000 bytes, which makes glibc give it its own arena (a 64 MiB-aligned anonymous
 * mapping, not [heap]), writes a __thread variable (static TLS sits at the top of the thread's stack mapping), and
 * then blocks reading a pipe.
 *
 * Steps: 1 "ready": threads=<n>, addr.heap_chunk, addr.big_chunk, and per worker i (0-based) tid.<i>,
 * addr.thread_local.<i> (its __thread variable), addr.thread_stack.<i> (a local on its stack) and
 * addr.thread_chunk.<i> (its malloc). Then sample_hold(), the workers are released and joined, 2 "done".
 */
#include "pause.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>

#define MAX_THREADS 16
#define BIG_CHUNK (4u << 20)

struct worker {
    pthread_t thread;
    pid_t tid;
    void *tls;
    void *stack_local;
    void *chunk;
};

static __thread char thread_local_buf[64];
static struct worker workers[MAX_THREADS];
static pthread_barrier_t started;
static int release_pipe[2];

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    volatile char local[64];
    local[0] = 'l';
    w->tid = (pid_t)syscall(SYS_gettid);
    thread_local_buf[0] = 't';
    w->tls = thread_local_buf;
    w->stack_local = (void *)local;
    w->chunk = malloc(1000);
    if (w->chunk == NULL)
        die(1, "typical: malloc in thread: %s", errno_name(errno));
    memset(w->chunk, 'w', 1000);
    pthread_barrier_wait(&started);

    char c;
    while (read(release_pipe[0], &c, 1) < 0 && errno == EINTR)
        ;
    free(w->chunk);
    return NULL;
}

static const char usage[] =
    "usage: typical [THREADS]\n"
    "  THREADS: worker threads, 1 to 16 (default 3); each mallocs from its own arena and blocks on a pipe.\n"
    "steps: ready, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after ready until stdin EOF)\n"
    "details: native-samples/README.md\n";

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    int threads = 3;
    if (argc > 2)
        die(2, "usage: typical [THREADS]   (1..%d, default 3)", MAX_THREADS);
    if (argc == 2) {
        char *end;
        long v = strtol(argv[1], &end, 10);
        if (*end != '\0' || v < 1 || v > MAX_THREADS)
            die(2, "typical: THREADS must be 1..%d, got '%s'", MAX_THREADS, argv[1]);
        threads = (int)v;
    }

    void *small[8];
    for (int i = 0; i < 8; i++) {
        small[i] = malloc(24 + 64 * (size_t)i);
        if (small[i] == NULL)
            die(1, "typical: malloc: %s", errno_name(errno));
        memset(small[i], 's', 24);
    }
    char *heap_chunk = small[3];
    char *big = malloc(BIG_CHUNK);
    if (big == NULL)
        die(1, "typical: malloc(4 MiB): %s", errno_name(errno));
    big[0] = 'b';
    big[BIG_CHUNK - 1] = 'b';

    if (pipe(release_pipe) != 0)
        die(1, "typical: pipe: %s", errno_name(errno));
    pthread_barrier_init(&started, NULL, (unsigned)threads + 1);
    for (int i = 0; i < threads; i++) {
        int rc = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]);
        if (rc != 0)
            die(1, "typical: pthread_create: %s", errno_name(rc));
    }
    pthread_barrier_wait(&started);

    char payload[STEP_LINE_MAX - 128];
    int len = snprintf(payload, sizeof payload, "threads=%d addr.heap_chunk=%p addr.big_chunk=%p",
                       threads, (void *)heap_chunk, (void *)big);
    for (int i = 0; i < threads && len < (int)sizeof payload; i++) {
        len += snprintf(payload + len, sizeof payload - (size_t)len,
                        " tid.%d=%d addr.thread_local.%d=%p addr.thread_stack.%d=%p addr.thread_chunk.%d=%p",
                        i, (int)workers[i].tid, i, workers[i].tls, i, workers[i].stack_local,
                        i, workers[i].chunk);
    }
    STEP("ready", "%s", payload);
    sample_hold();

    close(release_pipe[1]); /* EOF releases every worker */
    for (int i = 0; i < threads; i++)
        pthread_join(workers[i].thread, NULL);
    STEP_PLAIN("done");
    for (int i = 0; i < 8; i++)
        free(small[i]);
    free(big);
    return 0;
}
