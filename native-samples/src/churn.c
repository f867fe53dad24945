/*
 * churn [SECONDS [THREADS]]: a hostile target for the inspector (issue 9): its mappings change all the time. Each
 * thread owns a 64 MiB PROT_NONE reservation and, in a tight loop, maps pieces of it with varying protections,
 * touches them, changes protections and unmaps them again, so VMAs split and merge between any two reads of maps.
 * Nothing outside the announced ranges changes. Runs SECONDS (0: until a signal), then announces done.
 * Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#define MAX_THREADS 16
#define AREA (64ul << 20)

static const char usage[] =
    "usage: churn [SECONDS [THREADS]]\n"
    "  SECONDS: how long to churn, 0 to 86400 (default 0: until SIGTERM/SIGINT/SIGHUP);\n"
    "  THREADS: churning threads, 1 to 16 (default 1). Each churns inside its own 64 MiB reservation.\n"
    "steps: ready (before the churn starts; range.area.<i> per thread), done (cycles=<total>)\n"
    "  Watch it while it churns with SAMPLE_NOPAUSE=1: in pause mode it stops at ready, before any churn.\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (churn until stdin reaches EOF, or SECONDS pass)\n"
    "details: native-samples/README.md\n";

struct churner {
    pthread_t thread;
    char *area;
    unsigned long cycles;
    unsigned seed;
};

static struct churner churners[MAX_THREADS];
static volatile int stop_flag;
static long seconds;
static struct timespec deadline;

static int expired(void)
{
    if (seconds == 0)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

static void *churn_main(void *arg)
{
    struct churner *c = arg;
    const size_t ps = 4096;
    const size_t pages = AREA / ps;
    static const int prots[] = {PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE};
    while (!__atomic_load_n(&stop_flag, __ATOMIC_RELAXED)) {
        size_t first = (size_t)rand_r(&c->seed) % (pages - 64);
        size_t count = 1 + (size_t)rand_r(&c->seed) % 48;
        char *p = c->area + first * ps;
        size_t len = count * ps;
        if (mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            die_call("mmap MAP_FIXED inside the reservation");
        for (size_t off = 0; off < len; off += ps * 4)
            p[off] = 1;
        size_t half = count / 2;
        if (half > 0 && mprotect(p, half * ps, prots[rand_r(&c->seed) % 3]) != 0)
            die_call("mprotect");
        if (rand_r(&c->seed) % 2 == 0) {
            if (munmap(p, len) != 0)
                die_call("munmap");
            /* Put the reservation back so the next cycle's MAP_FIXED stays inside our own range. */
            if (mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0)
                == MAP_FAILED)
                die_call("mmap PROT_NONE back");
        }
        c->cycles++;
        if ((c->cycles & 255) == 0 && expired())
            break;
    }
    __atomic_store_n(&stop_flag, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 3)
        usage_error("takes at most two arguments (SECONDS THREADS)");
    seconds = argc > 1 ? parse_long_arg(argv[1], "SECONDS", 0, 86400) : 0;
    int n = argc > 2 ? (int)parse_long_arg(argv[2], "THREADS", 1, MAX_THREADS) : 1;

    char payload[STEP_LINE_MAX - 128];
    int len = snprintf(payload, sizeof payload, "threads=%d seconds=%ld", n, seconds);
    for (int i = 0; i < n; i++) {
        churners[i].area = mmap(NULL, AREA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (churners[i].area == MAP_FAILED)
            die_call("mmap the 64 MiB reservation");
        churners[i].seed = (unsigned)(getpid() * 31 + i);
        len += snprintf(payload + len, sizeof payload - (size_t)len, " range.area.%d=%p-%p", i,
                        (void *)churners[i].area, (void *)(churners[i].area + AREA));
    }
    STEP("ready", "%s", payload);

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += seconds;
    for (int i = 0; i < n; i++) {
        int rc = pthread_create(&churners[i].thread, NULL, churn_main, &churners[i]);
        if (rc != 0) {
            errno = rc;
            die_call("pthread_create");
        }
    }
    if (step_env_is_1("SAMPLE_HOLD")) {
        sample_hold(); /* churns until stdin reaches EOF (or SECONDS pass) */
        __atomic_store_n(&stop_flag, 1, __ATOMIC_RELAXED);
    }
    unsigned long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(churners[i].thread, NULL);
        total += churners[i].cycles;
    }
    STEP("done", "cycles=%lu", total);
    return 0;
}
