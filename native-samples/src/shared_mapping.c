/*
 * shared_mapping: one frame seen at several virtual addresses and by two processes. A memfd mapped twice; a file
 * mapped MAP_SHARED and MAP_PRIVATE (a write through the shared one reaches the file, a write through the private
 * one gets a private copy); a shared and a private anonymous page written by a forked child, whose write the parent
 * sees only in the shared one. The temporary file is removed at exit. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

static const char usage[] =
    "usage: shared_mapping\n"
    "  memfd mapped twice; a file mapped MAP_SHARED and MAP_PRIVATE; MAP_SHARED and MAP_PRIVATE anonymous pages\n"
    "  across fork(). Creates /tmp/inspector-shared-XXXXXX/data.bin (removed at exit and on SIGTERM/SIGINT/SIGHUP).\n"
    "  Takes no arguments.\n"
    "steps: memfd_mapped_twice, file_mapped_shared_and_private, file_written_through_both, before_fork,\n"
    "       child_wrote_both (child), parent_after_child, done\n"
    "  The child's step carries the child's pid: continue that pid (kill -CONT CHILD) to move on.\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after parent_after_child until stdin EOF)\n"
    "details: native-samples/README.md\n";

static char *map(int fd, int flags, int prot, const char *what)
{
    char *p = mmap(NULL, 4096, prot, flags, fd, 0);
    if (p == MAP_FAILED)
        die_call(what);
    return p;
}

/* The file's first bytes as a word for a STEP line. */
static const char *file_word(int fd, char *buf, size_t size)
{
    ssize_t n = pread(fd, buf, size - 1, 0);
    if (n < 0)
        die_call("pread data.bin");
    buf[n] = '\0';
    buf[strcspn(buf, " \n")] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);
    sample_on_term(sample_data_file_remove);

    int mfd = memfd_create("inspector-demo", MFD_CLOEXEC);
    if (mfd < 0)
        die_call("memfd_create");
    if (ftruncate(mfd, 4096) != 0)
        die_call("ftruncate memfd");
    char *a = map(mfd, MAP_SHARED, PROT_READ | PROT_WRITE, "mmap memfd (first)");
    char *b = map(mfd, MAP_SHARED, PROT_READ | PROT_WRITE, "mmap memfd (second)");
    close(mfd);
    strcpy(a, "written_via_a");
    STEP("memfd_mapped_twice", "addr.memfd_a=%p addr.memfd_b=%p content.b=%s same_content=%d", (void *)a, (void *)b,
         b, strcmp(a, b) == 0);

    int fd = sample_data_file("shared");
    char page[4096];
    memset(page, 0, sizeof page);
    strcpy(page, "original");
    if (write(fd, page, sizeof page) != (ssize_t)sizeof page)
        die_call("write data.bin");
    char *fs = map(fd, MAP_SHARED, PROT_READ | PROT_WRITE, "mmap data.bin MAP_SHARED");
    char *fp = map(fd, MAP_PRIVATE, PROT_READ | PROT_WRITE, "mmap data.bin MAP_PRIVATE");
    volatile char sink = fs[0] + fp[0]; /* both read: both map the page-cache page */
    (void)sink;
    STEP("file_mapped_shared_and_private", "addr.file_shared=%p addr.file_private=%p file=%s content.shared=%s "
         "content.private=%s", (void *)fs, (void *)fp, sample_file_path, fs, fp);

    strcpy(fp, "private_write");
    strcpy(fs, "shared_write");
    char word[64];
    STEP("file_written_through_both", "addr.file_shared=%p addr.file_private=%p content.shared=%s "
         "content.private=%s content.file=%s", (void *)fs, (void *)fp, fs, fp, file_word(fd, word, sizeof word));

    char *sh = map(-1, MAP_SHARED | MAP_ANONYMOUS, PROT_READ | PROT_WRITE, "mmap shared anonymous");
    char *pr = map(-1, MAP_PRIVATE | MAP_ANONYMOUS, PROT_READ | PROT_WRITE, "mmap private anonymous");
    strcpy(sh, "parent");
    strcpy(pr, "parent");
    STEP("before_fork", "addr.shared_anon=%p addr.private_anon=%p addr.libc_text=%p content.shared=%s "
         "content.private=%s", (void *)sh, (void *)pr, (void *)(uintptr_t)getpid, sh, pr);

    pid_t parent = getpid();
    pid_t child = sample_fork();
    if (child == 0) {
        strcpy(sh, "child");
        strcpy(pr, "child");
        STEP("child_wrote_both", "parent_pid=%d addr.shared_anon=%p addr.private_anon=%p addr.libc_text=%p "
             "content.shared=%s content.private=%s", (int)parent, (void *)sh, (void *)pr,
             (void *)(uintptr_t)getpid, sh, pr);
        sample_child_exit(0);
    }
    int st = sample_child_wait(child);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die(1, "%s: child %d ended with wait status 0x%x", sample_prog(), (int)child, (unsigned)st);
    STEP("parent_after_child", "child_pid=%d addr.shared_anon=%p addr.private_anon=%p content.shared=%s "
         "content.private=%s shared_sees_child=%d private_sees_child=%d", (int)child, (void *)sh, (void *)pr, sh, pr,
         strcmp(sh, "child") == 0, strcmp(pr, "child") == 0);
    sample_hold();

    STEP_PLAIN("done");
    close(fd);
    munmap(a, 4096);
    munmap(b, 4096);
    munmap(fs, 4096);
    munmap(fp, 4096);
    munmap(sh, 4096);
    munmap(pr, 4096);
    sample_data_file_remove();
    return 0;
}
