/*
 * exit_stall: a hostile target for the inspector (issue 9): a process caught half-way through its exit, neither alive
 * nor a zombie, for as long as a test needs. The program unshares a PID namespace (and a user namespace when it is not
 * root, so an ordinary user can run it) and forks that namespace's init, then one more process in the namespace that
 * exits at once and is not reaped: its parent is this program, outside the namespace. When the init exits, the kernel
 * releases its memory (exit_mm) and then, as the init of a namespace must, waits inside exit until every process of
 * its namespace is reaped, which does not happen while this program keeps the zombie. So /proc/PID/stat of the init
 * shows state S (or D) with PF_EXITING set, its maps is empty, smaps_rollup and pagemap refuse or end at once, and the
 * files that need ptrace access belong to root. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <sched.h>
#include <time.h>

static const char usage[] =
    "usage: exit_stall\n"
    "  Forks a PID namespace's init and lets it exit half-way: it waits in exit for a zombie this program holds.\n"
    "  Needs a PID namespace (root), or a user namespace with it (an ordinary user); where they are not allowed it\n"
    "  prints the errno and exits 3.\n"
    "steps: ready (the init runs normally), stalled (it is exiting: memory released, not yet a zombie), done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (after stalled, keep it so until stdin reaches EOF)\n"
    "details: native-samples/README.md\n";

/* PF_EXITING in include/linux/sched.h. */
#define PF_EXITING_FLAG 0x4UL

/* State letter and flags (stat fields 3 and 9) of a process; 0 when it cannot be read. */
static char stat_of(pid_t pid, unsigned long *flags)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ')
        return 0;
    char state = p[2];
    p += 3;
    for (int field = 4; field < 9; field++) { /* skip ppid, pgrp, session, tty_nr, tpgid */
        p = strchr(p + 1, ' ');
        if (p == NULL)
            return 0;
    }
    *flags = strtoul(p + 1, NULL, 10);
    return state;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments");
    int flags = CLONE_NEWPID | (geteuid() == 0 ? 0 : CLONE_NEWUSER);
    if (unshare(flags) != 0) {
        int e = errno;
        die(3, "%s: unshare(%s): %s: this system does not let uid %d create a PID namespace", sample_prog(),
            flags & CLONE_NEWUSER ? "CLONE_NEWUSER|CLONE_NEWPID" : "CLONE_NEWPID", errno_name(e), (int)geteuid());
    }
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0)
        die_call("pipe2");
    pid_t init = fork(); /* pid 1 of the new namespace; its pid here, outside, is what fork returns */
    if (init < 0)
        die_call("fork");
    if (init == 0) {
        close(go[1]);
        char c;
        while (read(go[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(0); /* now it stalls in exit */
    }
    close(go[0]);
    pid_t zombie = fork(); /* a second process of the namespace, whose parent (this one) is outside it */
    if (zombie < 0)
        die_call("fork");
    if (zombie == 0)
        _exit(0);
    STEP("ready", "exiting=%d zombie=%d", (int)init, (int)zombie);

    close(go[1]); /* the init exits */
    unsigned long f = 0;
    char st = 0;
    for (int i = 0; i < 5000; i++) {
        st = stat_of(init, &f);
        if (st != 0 && st != 'Z' && (f & PF_EXITING_FLAG) != 0)
            break;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    if (st == 0 || st == 'Z' || (f & PF_EXITING_FLAG) == 0)
        die(1, "%s: the init (pid %d) did not stall in exit (state %c, flags 0x%lx)", sample_prog(), (int)init,
            st ? st : '?', f);
    STEP("stalled", "exiting=%d state=%c flags=0x%lx zombie=%d", (int)init, st, f, (int)zombie);
    sample_hold();

    int status;
    while (waitpid(zombie, &status, 0) < 0 && errno == EINTR) /* the init's exit can finish now */
        ;
    while (waitpid(init, &status, 0) < 0 && errno == EINTR)
        ;
    STEP("done", "init_status=%d", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
