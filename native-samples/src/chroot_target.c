/*
 * chroot_target [fifo|file]: a hostile target for the inspector (issue 9). It maps a file, then, in a user and
 * mount namespace of its own (so an ordinary user can do it where user namespaces are allowed), chroots into a
 * directory where every path its maps lists (the mapped file, its executable, libc, the loader) is a decoy: a FIFO
 * nobody writes to (fifo, the default: an open() for reading blocks forever) or a different regular file (file).
 * A reader that opens maps paths under /proc/PID/root/ then hangs or reads the wrong file; the mapped file itself
 * stays reachable through /proc/PID/map_files/. Everything is created under /tmp/inspector-chroot-XXXXXX and
 * removed at exit and on SIGTERM/SIGINT/SIGHUP. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#define MAX_DECOYS 64
#define MAX_DIRS 256

static const char usage[] =
    "usage: chroot_target [fifo|file]\n"
    "  fifo (default): each maps path is a FIFO inside the new root; file: a different regular file.\n"
    "  Needs user namespaces (unshare(CLONE_NEWUSER|CLONE_NEWNS)); where they are not allowed it prints the errno\n"
    "  and exits 3. Works as root and as an ordinary user.\n"
    "steps: ready, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after ready until stdin EOF)\n"
    "exit status: 0 done, 1 a call failed, 2 bad arguments, 3 user namespaces not allowed here\n"
    "details: native-samples/README.md\n";

static char top[] = "/tmp/inspector-chroot-XXXXXX";
static const char *top_name; /* the last component of top, relative to tmp_fd */
static int tmp_fd = -1;      /* /tmp, opened before the chroot: cleanup works from inside it */
static int top_fd = -1;
/* Paths relative to top, removed in reverse order of creation (files, then directories). */
static char created[MAX_DECOYS + MAX_DIRS + 4][1024];
static int created_dir[MAX_DECOYS + MAX_DIRS + 4];
static volatile sig_atomic_t n_created;
static volatile sig_atomic_t have_top;

static void cleanup(void)
{
    if (!have_top)
        return;
    for (int i = n_created - 1; i >= 0; i--)
        unlinkat(top_fd, created[i], created_dir[i] ? AT_REMOVEDIR : 0);
    n_created = 0;
    unlinkat(tmp_fd, top_name, AT_REMOVEDIR);
    have_top = 0;
}

static void remember(const char *rel, int is_dir)
{
    if (n_created >= (int)(sizeof created / sizeof created[0]))
        die(1, "%s: too many paths to create", sample_prog());
    snprintf(created[n_created], sizeof created[0], "%s", rel);
    created_dir[n_created] = is_dir;
    n_created++;
}

/* mkdir -p of the parents of rel (relative to top), remembering the directories it made. */
static void make_parents(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", rel);
    for (char *slash = strchr(path, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdirat(top_fd, path, 0755) == 0)
            remember(path, 1);
        else if (errno != EEXIST)
            die(1, "%s: mkdir %s/%s: %s", sample_prog(), top, path, errno_name(errno));
        *slash = '/';
    }
}

static void copy_file(const char *from, const char *to_rel)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        die(1, "%s: open %s: %s", sample_prog(), from, errno_name(errno));
    int out = openat(top_fd, to_rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0)
        die(1, "%s: create %s/%s: %s", sample_prog(), top, to_rel, errno_name(errno));
    remember(to_rel, 0);
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die(1, "%s: read %s: %s", sample_prog(), from, errno_name(errno));
        if (n == 0)
            break;
        if (write(out, buf, (size_t)n) != n)
            die(1, "%s: write %s/%s: %s", sample_prog(), top, to_rel, errno_name(errno));
    }
    close(in);
    close(out);
}

/* The distinct absolute file paths in /proc/self/maps (deleted ones skipped). */
static int maps_paths(char paths[][1024], int max)
{
    static char buf[1 << 20];
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die_call("open /proc/self/maps");
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    int count = 0;
    for (char *line = buf; *line != '\0' && count < max;) {
        char *end = strchr(line, '\n');
        if (end == NULL)
            end = line + strlen(line);
        char saved = *end;
        *end = '\0';
        char *slash = strchr(line, '/');
        size_t plen = slash != NULL ? strlen(slash) : 0;
        static const char deleted[] = " (deleted)";
        if (slash != NULL && plen < 1000
            && !(plen >= sizeof deleted - 1 && strcmp(slash + plen - (sizeof deleted - 1), deleted) == 0)) {
            int seen = 0;
            for (int i = 0; i < count && !seen; i++)
                seen = strcmp(paths[i], slash) == 0;
            if (!seen)
                snprintf(paths[count++], 1024, "%s", slash);
        }
        *end = saved;
        line = saved != '\0' ? end + 1 : end;
    }
    return count;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        die(1, "%s: open %s: %s", sample_prog(), path, errno_name(errno));
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        die(1, "%s: write '%s' to %s: %s", sample_prog(), text, path, errno_name(errno));
    close(fd);
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "fifo") != 0 && strcmp(argv[1], "file") != 0))
        usage_error("the only argument is 'fifo' or 'file', got '%s'", argv[1]);
    int fifo = argc < 2 || strcmp(argv[1], "fifo") == 0;
    sample_on_term(cleanup);

    tmp_fd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (tmp_fd < 0)
        die_call("open /tmp");
    if (mkdtemp(top) == NULL)
        die_call("mkdtemp /tmp/inspector-chroot-XXXXXX");
    top_name = top + strlen("/tmp/");
    top_fd = open(top, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top_fd < 0)
        die_call("open the temporary directory");
    have_top = 1;

    /* The mapped file: a copy of this executable, so it is an ELF file with sections. */
    copy_file("/proc/self/exe", "mapped.so");
    char mapped_path[sizeof top + 16];
    snprintf(mapped_path, sizeof mapped_path, "%s/mapped.so", top);
    int fd = open(mapped_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die_call("open mapped.so");
    struct stat st;
    if (fstat(fd, &st) != 0)
        die_call("fstat mapped.so");
    char *mapped = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED)
        die_call("mmap mapped.so");
    close(fd);
    volatile char sink = mapped[0];
    (void)sink;

    if (mkdirat(top_fd, "root", 0755) != 0)
        die_call("mkdir root");
    remember("root", 1);
    static char paths[MAX_DECOYS][1024];
    int n = maps_paths(paths, MAX_DECOYS);
    for (int i = 0; i < n; i++) {
        char rel[1100];
        snprintf(rel, sizeof rel, "root%s", paths[i]);
        make_parents(rel);
        if (fifo) {
            if (mkfifoat(top_fd, rel, 0644) != 0)
                die(1, "%s: mkfifo %s/%s: %s", sample_prog(), top, rel, errno_name(errno));
        } else {
            int d = openat(top_fd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (d < 0)
                die(1, "%s: create %s/%s: %s", sample_prog(), top, rel, errno_name(errno));
            static const char text[] = "decoy: not the file this process mapped\n";
            if (write(d, text, sizeof text - 1) != (ssize_t)sizeof text - 1)
                die(1, "%s: write %s/%s: %s", sample_prog(), top, rel, errno_name(errno));
            close(d);
        }
        remember(rel, 0);
    }

    uid_t uid = getuid();
    gid_t gid = getgid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
        int e = errno;
        char max_ns[32];
        die(3, "%s: unshare(CLONE_NEWUSER|CLONE_NEWNS): %s: this system does not let uid %d create a user namespace "
               "(user.max_user_namespaces=%s; some kernels also need kernel.unprivileged_userns_clone=1 or an "
               "AppArmor profile allowing it)",
            sample_prog(), errno_name(e), (int)uid,
            read_first_line("/proc/sys/user/max_user_namespaces", max_ns, sizeof max_ns));
    }
    char map[64];
    write_file("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "0 %d 1", (int)uid);
    write_file("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "0 %d 1", (int)gid);
    write_file("/proc/self/gid_map", map);
    char root[sizeof top + 8];
    snprintf(root, sizeof root, "%s/root", top);
    if (chroot(root) != 0)
        die_call("chroot");
    if (chdir("/") != 0)
        die_call("chdir /");

    size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    size_t mapped_len = ((size_t)st.st_size + ps - 1) & ~(ps - 1);
    STEP("ready", "mode=%s range.mapped=%p-%p mapped=%s root=%s decoys=%d uid_outside=%d", fifo ? "fifo" : "file",
         (void *)mapped, (void *)(mapped + mapped_len), mapped_path, root, n, (int)uid);
    sample_hold();

    STEP_PLAIN("done");
    cleanup();
    return 0;
}
