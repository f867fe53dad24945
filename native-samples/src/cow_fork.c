/*
 * cow_fork: copy-on-write seen at the frame. Two private pages (a page-aligned global of its own, so nothing else
 * writes to it, and one anonymous mmap page) are written by the parent, then the process forks: the child announces
 * the same addresses before and after writing them (same frames before, new ones after), stops on its own and names
 * its own pid; then the parent announces them while the child is still alive, and again after writing them itself.
 * Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

static const char usage[] =
    "usage: cow_fork\n"
    "  fork() with two written private pages; the child writes them, then the parent. Takes no arguments.\n"
    "steps: parent_before_fork (parent), child_before_write (child), child_after_write (child),\n"
    "       parent_after_child_write (parent), parent_after_own_write (parent), done (parent)\n"
    "  The child's steps carry the child's pid: continue that pid (kill -CONT CHILD) to move on.\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after parent_after_own_write until stdin EOF)\n"
    "details: native-samples/README.md\n";

/* Its own page: the executable's first data page is already written by the loader and by lazy binding. */
static char g_page[4096] __attribute__((aligned(4096)));

static void put(char *page, const char *text)
{
    strcpy(page, text); /* values are single words: they go into STEP lines as they are */
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);

    char *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (anon == MAP_FAILED)
        die_call("mmap one page");
    put(g_page, "parent");
    put(anon, "parent");
    STEP("parent_before_fork", "addr.global=%p addr.anon=%p content.global=%s content.anon=%s", (void *)g_page,
         (void *)anon, g_page, anon);

    int release[2];
    if (pipe2(release, O_CLOEXEC) != 0)
        die_call("pipe2");
    pid_t parent = getpid();
    pid_t child = sample_fork();
    if (child == 0) {
        close(release[1]);
        STEP("child_before_write", "parent_pid=%d addr.global=%p addr.anon=%p content.global=%s content.anon=%s",
             (int)parent, (void *)g_page, (void *)anon, g_page, anon);
        put(g_page, "child");
        put(anon, "child");
        STEP("child_after_write", "parent_pid=%d addr.global=%p addr.anon=%p content.global=%s content.anon=%s",
             (int)parent, (void *)g_page, (void *)anon, g_page, anon);
        sample_child_report();
        char c;
        while (read(release[0], &c, 1) < 0 && errno == EINTR)
            ;
        sample_child_exit(0);
    }
    close(release[0]);

    if (!sample_parent_catch_up())
        die(1, "%s: child %d ended before its steps", sample_prog(), (int)child);
    STEP("parent_after_child_write", "child_pid=%d addr.global=%p addr.anon=%p content.global=%s content.anon=%s",
         (int)child, (void *)g_page, (void *)anon, g_page, anon);

    put(g_page, "parent_again");
    put(anon, "parent_again");
    STEP("parent_after_own_write", "child_pid=%d addr.global=%p addr.anon=%p content.global=%s content.anon=%s",
         (int)child, (void *)g_page, (void *)anon, g_page, anon);
    sample_hold();

    close(release[1]);
    int st = sample_child_wait(child);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die(1, "%s: child %d ended with wait status 0x%x", sample_prog(), (int)child, (unsigned)st);
    STEP_PLAIN("done");
    munmap(anon, 4096);
    return 0;
}
