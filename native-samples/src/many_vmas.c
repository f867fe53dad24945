/*
 * many_vmas N: a process with N + 6 mappings, for parsers and readers that must cope with 60,000 VMAs and with
 * awkward pathnames.
 *
 * The N bulk VMAs come from one anonymous mapping of N pages whose odd pages are made read-only: neighbouring VMAs
 * then differ in protection and the kernel cannot merge them. That costs one mmap and N/2 mprotect calls, and no
 * memory (nothing is touched). One unmapped page on each side keeps the bulk from merging with its neighbours, so
 * exactly N maps lines lie inside range.bulk.
 *
 * Special mappings, created before the bulk:
 *   spaced_file   "/tmp/inspector samples XXXXXX/file with spaces.dat", 2 pages, MAP_SHARED read-only, read
 *   deleted_file  "/tmp/inspector samples XXXXXX/deleted file.dat", mapped then unlinked: " (deleted)"
 *   named_anon    2 private anonymous pages named "inspector named" with PR_SET_VMA_ANON_NAME (Linux 5.17+,
 *                 CONFIG_ANON_VMA_NAME); anon_name=ok or the errno name (EINVAL without the config option)
 *   memfd         memfd_create("inspector memfd"), 1 page MAP_SHARED, written: "/memfd:inspector memfd (deleted)"
 *   shared_anon   1 page MAP_SHARED|MAP_ANONYMOUS, written: "/dev/zero (deleted)"
 *   named_shmem   1 page MAP_SHARED|MAP_ANONYMOUS named "inspector shmem": "[anon_shmem:inspector shmem]" (6.2+);
 *                 shmem_name=ok or the errno name
 *
 * Steps: 1 "ready" (count, bulk, anon_name, shmem_name, range.* of every mapping above), sample_hold(), 2 "done".
 * The temp directory is removed at exit and on SIGTERM/SIGINT/SIGHUP (not on SIGKILL).
 */
#include "pause.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define SPECIAL_MAPPINGS 6
/* Mappings a fresh process of this program may add besides ours (loader, libc, stack, vdso...), with headroom. */
#define HEADROOM 64

static char tmpdir[] = "/tmp/inspector samples XXXXXX";
static char spaced_path[sizeof tmpdir + 32];
static char deleted_path[sizeof tmpdir + 32];
static int have_tmpdir;

static void cleanup(void)
{
    if (!have_tmpdir)
        return;
    unlink(spaced_path);
    unlink(deleted_path);
    rmdir(tmpdir);
    have_tmpdir = 0;
}

static long read_long_file(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

static long count_own_mappings(void)
{
    char buf[65536];
    long lines = 0;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die(1, "many_vmas: open /proc/self/maps: %s", errno_name(errno));
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    close(fd);
    return lines;
}

static void *map_file(const char *path, size_t len, int unlink_after)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        die(1, "many_vmas: create '%s': %s", path, errno_name(errno));
    char page[4096];
    memset(page, 'f', sizeof page);
    for (size_t off = 0; off < len; off += sizeof page)
        if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
            die(1, "many_vmas: write '%s': %s", path, errno_name(errno));
    void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        die(1, "many_vmas: mmap '%s': %s", path, errno_name(errno));
    close(fd);
    volatile const char *c = p;
    for (size_t off = 0; off < len; off += 4096)
        (void)c[off];
    if (unlink_after && unlink(path) != 0)
        die(1, "many_vmas: unlink '%s': %s", path, errno_name(errno));
    return p;
}

static void *map_anon(size_t len, int flags)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die(1, "many_vmas: mmap %zu anonymous bytes: %s", len, errno_name(errno));
    memset(p, 'a', len);
    return p;
}

static const char *name_region(void *p, size_t len, const char *name)
{
    if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)p, len, (unsigned long)name) == 0)
        return "ok";
    return errno_name(errno);
}

static const char usage[] =
    "usage: many_vmas N\n"
    "  N: bulk mappings (>= 1; at most vm.max_map_count minus the mappings the process already has minus 70),\n"
    "  plus six mappings with awkward names under /tmp/inspector samples XXXXXX (removed at exit).\n"
    "steps: ready, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after ready until stdin EOF)\n"
    "details: native-samples/README.md\n";

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc != 2) {
        die(2, "usage: many_vmas N   (N >= 1 bulk mappings; at most vm.max_map_count minus what the process "
               "already has minus %d)", SPECIAL_MAPPINGS + HEADROOM);
    }
    char *end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (errno != 0 || *end != '\0' || n < 1)
        die(2, "many_vmas: N must be a positive number, got '%s'", argv[1]);

    long max_map = read_long_file("/proc/sys/vm/max_map_count");
    long have = count_own_mappings();
    if (max_map > 0 && n > max_map - have - SPECIAL_MAPPINGS - HEADROOM) {
        die(2, "many_vmas: N=%ld is too large: vm.max_map_count=%ld, this process already has %ld mappings; "
               "use N <= %ld or raise the limit (sysctl -w vm.max_map_count=%ld)",
            n, max_map, have, max_map - have - SPECIAL_MAPPINGS - HEADROOM,
            n + have + SPECIAL_MAPPINGS + HEADROOM);
    }

    sample_on_term(cleanup);
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);

    if (mkdtemp(tmpdir) == NULL)
        die(1, "many_vmas: mkdtemp '%s': %s", tmpdir, errno_name(errno));
    have_tmpdir = 1;
    snprintf(spaced_path, sizeof spaced_path, "%s/file with spaces.dat", tmpdir);
    snprintf(deleted_path, sizeof deleted_path, "%s/deleted file.dat", tmpdir);

    char *spaced = map_file(spaced_path, 2 * ps, 0);
    char *deleted = map_file(deleted_path, ps, 1);

    /* With a hole on each side: unnamed (where the kernel lacks CONFIG_ANON_VMA_NAME) it would otherwise merge with
     * a neighbouring private anonymous mapping, and range.named_anon would no longer be one line of its own. */
    char *fenced = map_anon(4 * ps, MAP_PRIVATE);
    if (munmap(fenced, ps) != 0 || munmap(fenced + 3 * ps, ps) != 0)
        die(1, "many_vmas: munmap the holes around the named region: %s", errno_name(errno));
    char *named = fenced + ps;
    const char *anon_name = name_region(named, 2 * ps, "inspector named");

    int mfd = memfd_create("inspector memfd", MFD_CLOEXEC);
    if (mfd < 0)
        die(1, "many_vmas: memfd_create: %s", errno_name(errno));
    if (ftruncate(mfd, (off_t)ps) != 0)
        die(1, "many_vmas: ftruncate memfd: %s", errno_name(errno));
    char *memfd = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    if (memfd == MAP_FAILED)
        die(1, "many_vmas: mmap memfd: %s", errno_name(errno));
    close(mfd);
    memset(memfd, 'm', ps);

    char *shared = map_anon(ps, MAP_SHARED);
    char *named_shmem = map_anon(ps, MAP_SHARED);
    const char *shmem_name = name_region(named_shmem, ps, "inspector shmem");

    /* The bulk, last: nothing maps after it, so the holes around it stay holes. */
    size_t bulk_len = ((size_t)n + 2) * ps;
    char *area = mmap(NULL, bulk_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (area == MAP_FAILED)
        die(1, "many_vmas: mmap %zu bytes for %ld mappings: %s", bulk_len, n, errno_name(errno));
    if (munmap(area, ps) != 0 || munmap(area + bulk_len - ps, ps) != 0)
        die(1, "many_vmas: munmap the guard holes: %s", errno_name(errno));
    char *bulk = area + ps;
    for (long i = 1; i < n; i += 2) {
        if (mprotect(bulk + (size_t)i * ps, ps, PROT_READ) != 0) {
            die(1, "many_vmas: mprotect page %ld of %ld: %s (vm.max_map_count=%ld reached?)",
                i, n, errno_name(errno), max_map);
        }
    }

    STEP("ready",
         "count=%ld bulk=%ld anon_name=%s shmem_name=%s range.bulk=%p-%p range.spaced_file=%p-%p "
         "range.deleted_file=%p-%p range.named_anon=%p-%p range.memfd=%p-%p range.shared_anon=%p-%p "
         "range.named_shmem=%p-%p",
         n + SPECIAL_MAPPINGS, n, anon_name, shmem_name,
         (void *)bulk, (void *)(bulk + (size_t)n * ps),
         (void *)spaced, (void *)(spaced + 2 * ps),
         (void *)deleted, (void *)(deleted + ps),
         (void *)named, (void *)(named + 2 * ps),
         (void *)memfd, (void *)(memfd + ps),
         (void *)shared, (void *)(shared + ps),
         (void *)named_shmem, (void *)(named_shmem + ps));
    sample_hold();
    STEP_PLAIN("done");
    cleanup();
    return 0;
}
