/*
 * odd_names: a hostile target for the inspector (issue 9): it maps one page of each of several files whose names
 * are awkward in /proc/PID/maps and in a terminal: bytes that are not valid UTF-8, a literal backslash followed by
 * "012" (what the kernel writes for an escaped newline), a real newline, leading and trailing spaces, a name ending
 * in " (deleted)" that is not deleted, terminal escape sequences and a bell, a tab and a carriage return, a
 * 255-byte name, and a path of about 3.5 KiB. Each name is announced in hex so a tool can compare the kernel's
 * bytes with the truth. Everything lives under /tmp/inspector-odd-XXXXXX and is removed at exit and on
 * SIGTERM/SIGINT/SIGHUP. Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/mman.h>

#define DEEP_LEVELS 14
#define DEEP_COMPONENT 250
#define NAME_MAX_BYTES 255

static const char usage[] =
    "usage: odd_names\n"
    "  Maps one page of each file with an awkward name (see native-samples/README.md). Takes no arguments.\n"
    "steps: ready, done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after ready until stdin EOF)\n"
    "details: native-samples/README.md\n";

struct odd {
    const char *label;
    char name[NAME_MAX_BYTES + 1];
    int dir_fd;          /* directory the file is in */
    int created;
    char *map;
};

static char top[] = "/tmp/inspector-odd-XXXXXX";
static int tmp_fd = -1;
static int top_fd = -1;
static int deep_fds[DEEP_LEVELS + 1]; /* deep_fds[0] = top_fd, deep_fds[i] = level i */
static int deep_made;
static char deep_component[DEEP_COMPONENT + 1];
static volatile sig_atomic_t have_top;

static struct odd odds[] = {
    {.label = "invalid_utf8"},
    {.label = "backslash_012"},
    {.label = "newline"},
    {.label = "spaces"},
    {.label = "fake_deleted"},
    {.label = "escape"},
    {.label = "tab_cr"},
    {.label = "long_name"},
    {.label = "deep_path"},
};
#define N_ODDS ((int)(sizeof odds / sizeof odds[0]))

static void cleanup(void)
{
    if (!have_top)
        return;
    for (int i = 0; i < N_ODDS; i++)
        if (odds[i].created)
            unlinkat(odds[i].dir_fd, odds[i].name, 0);
    for (int i = deep_made; i >= 1; i--)
        unlinkat(deep_fds[i - 1], deep_component, AT_REMOVEDIR);
    unlinkat(tmp_fd, top + strlen("/tmp/"), AT_REMOVEDIR);
    have_top = 0;
}

static void hex(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && o + 3 <= size; p++, o += 2)
        snprintf(out + o, 3, "%02x", *p);
    out[o < size ? o : size - 1] = '\0';
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 1)
        usage_error("takes no arguments, got '%s'", argv[1]);
    sample_on_term(cleanup);
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);

    strcpy(odds[0].name, "bad-\xff\xfe-utf8.dat");
    strcpy(odds[1].name, "literal-\\012-backslash.dat");
    strcpy(odds[2].name, "new\nline.dat");
    strcpy(odds[3].name, "  two leading and two trailing spaces  ");
    strcpy(odds[4].name, "looks deleted.dat (deleted)");
    strcpy(odds[5].name, "esc-\x1b[31mred\x1b[0m-\x07" "bell.dat");
    strcpy(odds[6].name, "tab\there-cr\rhere.dat");
    memset(odds[7].name, 'L', NAME_MAX_BYTES);
    odds[7].name[NAME_MAX_BYTES] = '\0';
    strcpy(odds[8].name, "deep.dat");
    memset(deep_component, 'D', DEEP_COMPONENT);

    tmp_fd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (tmp_fd < 0)
        die_call("open /tmp");
    if (mkdtemp(top) == NULL)
        die_call("mkdtemp /tmp/inspector-odd-XXXXXX");
    have_top = 1;
    top_fd = open(top, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top_fd < 0)
        die_call("open the temporary directory");
    deep_fds[0] = top_fd;
    for (int i = 1; i <= DEEP_LEVELS; i++) {
        if (mkdirat(deep_fds[i - 1], deep_component, 0700) != 0)
            die_call("mkdir a 250-byte directory level");
        deep_made = i;
        deep_fds[i] = openat(deep_fds[i - 1], deep_component, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (deep_fds[i] < 0)
            die_call("open a 250-byte directory level");
    }

    char page[4096];
    memset(page, 'o', sizeof page);
    for (int i = 0; i < N_ODDS; i++) {
        struct odd *o = &odds[i];
        o->dir_fd = i == N_ODDS - 1 ? deep_fds[DEEP_LEVELS] : top_fd;
        int fd = openat(o->dir_fd, o->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            die(1, "%s: create the %s file: %s", sample_prog(), o->label, errno_name(errno));
        o->created = 1;
        if (write(fd, page, ps) != (ssize_t)ps)
            die(1, "%s: write the %s file: %s", sample_prog(), o->label, errno_name(errno));
        o->map = mmap(NULL, ps, PROT_READ, MAP_PRIVATE, fd, 0);
        if (o->map == MAP_FAILED)
            die(1, "%s: mmap the %s file: %s", sample_prog(), o->label, errno_name(errno));
        close(fd);
        volatile char sink = o->map[0];
        (void)sink;
    }

    char payload[STEP_LINE_MAX - 128];
    int len = snprintf(payload, sizeof payload, "dir=%s files=%d deep_levels=%d deep_component_bytes=%d "
                       "deep_path_bytes=%zu", top, N_ODDS, DEEP_LEVELS, DEEP_COMPONENT,
                       strlen(top) + (size_t)DEEP_LEVELS * (DEEP_COMPONENT + 1) + 1 + strlen(odds[N_ODDS - 1].name));
    for (int i = 0; i < N_ODDS && len < (int)sizeof payload; i++) {
        char h[2 * NAME_MAX_BYTES + 1];
        hex(odds[i].name, h, sizeof h);
        len += snprintf(payload + len, sizeof payload - (size_t)len, " range.%s=%p-%p name_hex.%s=%s", odds[i].label,
                        (void *)odds[i].map, (void *)(odds[i].map + ps), odds[i].label, h);
    }
    STEP("ready", "%s", payload);
    sample_hold();

    STEP_PLAIN("done");
    for (int i = 0; i < N_ODDS; i++)
        munmap(odds[i].map, ps);
    cleanup();
    return 0;
}
