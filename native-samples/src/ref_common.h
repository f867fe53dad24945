/*
 * Shared part of the two page-residency reference readers (pagemap_pread_ref, pagemap_scan_ref): arguments, the
 * mapped ranges from /proc/PID/maps, and the one output line both print:
 *
 *   pages=<n> present=<n> swapped=<n> file=<n> zero=<n> huge=<n> vmas=<n> elapsed_ns=<n>
 *
 * pages counts every page of the mapped ranges (clipped to START-END when given); vmas the maps lines walked;
 * elapsed_ns is CLOCK_MONOTONIC from before maps is read to after the last page is counted (one-time setup such as
 * the pread reader's zero-page probe is outside it). A count that the reader cannot know is -1.
 * Exit status: 0 ok, 1 a system call failed (one line on stderr with the errno name), 2 usage.
 */
#ifndef INSPECTOR_REF_COMMON_H
#define INSPECTOR_REF_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Above every user address with 4- or 5-level paging; only [vsyscall] lies beyond, and pagemap does not cover it. */
#define USER_ADDR_LIMIT (1ULL << 56)

struct range {
    uint64_t lo, hi;
};

struct ranges {
    struct range *v;
    size_t n, cap;
};

struct counts {
    uint64_t pages, present, swapped, file;
    int64_t zero, huge;
};

static const char *ref_prog = "pagemap_ref";

__attribute__((format(printf, 2, 3), noreturn))
static inline void ref_die(int status, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", ref_prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

static inline const char *ref_errno(int e)
{
    const char *s = strerrorname_np(e);
    return s != NULL ? s : "EUNKNOWN";
}

static inline uint64_t ref_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline uint64_t ref_parse_hex(const char *s, const char *end, const char *arg)
{
    if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    if (s == end || end - s > 16)
        ref_die(2, "bad address in '%s' (expected hex, e.g. 0x7f0000000000)", arg);
    uint64_t v = 0;
    for (; s < end; s++) {
        int c = *s, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            ref_die(2, "bad address in '%s' (expected hex, e.g. 0x7f0000000000)", arg);
        v = v << 4 | (uint64_t)d;
    }
    return v;
}

/* PID [START-END] -> pid and the clip range (whole user space when absent). */
static inline void ref_args(int argc, char **argv, int *pid, struct range *clip)
{
    if (argc < 2 || argc > 3)
        ref_die(2, "usage: %s PID [START-END]   (hex addresses, END exclusive)", ref_prog);
    char *end;
    errno = 0;
    long p = strtol(argv[1], &end, 10);
    if (errno != 0 || *end != '\0' || p <= 0 || p > INT32_MAX)
        ref_die(2, "PID must be a positive number, got '%s'", argv[1]);
    *pid = (int)p;
    clip->lo = 0;
    clip->hi = USER_ADDR_LIMIT;
    if (argc == 3) {
        const char *a = argv[2];
        const char *dash = strchr(a, '-');
        if (dash == NULL)
            ref_die(2, "range must be START-END, got '%s'", a);
        clip->lo = ref_parse_hex(a, dash, a);
        clip->hi = ref_parse_hex(dash + 1, a + strlen(a), a);
        if (clip->lo >= clip->hi)
            ref_die(2, "empty range '%s'", a);
    }
}

/* Opens /proc/PID/pagemap for reading (its name left in path, for messages), or exits with the reason. */
static inline int ref_open_pagemap(int pid, char *path, size_t size) {
    snprintf(path, size, "/proc/%d/pagemap", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        ref_die(1, "open %s: %s", path, ref_errno(errno));
    return fd;
}

/* Start and end of every maps line, clipped to *clip, in address order. */
static inline void ref_read_maps(int pid, const struct range *clip, uint64_t page_size, struct ranges *out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        ref_die(1, "open %s: %s", path, ref_errno(errno));
    /* maps of a 65,000-VMA process is about 5 MB: read it whole into one buffer that is kept between calls. */
    static char *buf;
    static size_t cap;
    size_t len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            buf = realloc(buf, cap);
            if (buf == NULL)
                ref_die(1, "out of memory reading %s", path);
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ref_die(1, "read %s: %s", path, ref_errno(errno));
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);

    out->n = 0;
    for (size_t pos = 0; pos < len;) {
        const char *line = buf + pos;
        const char *lend = memchr(line, '\n', len - pos);
        if (lend == NULL)
            lend = buf + len;
        pos = (size_t)(lend - buf) + 1;
        const char *dash = memchr(line, '-', (size_t)(lend - line));
        const char *sp = dash ? memchr(dash, ' ', (size_t)(lend - dash)) : NULL;
        if (dash == NULL || sp == NULL)
            ref_die(1, "%s: malformed line '%.*s'", path, (int)(lend - line), line);
        uint64_t lo = ref_parse_hex(line, dash, path), hi = ref_parse_hex(dash + 1, sp, path);
        if (lo < clip->lo)
            lo = clip->lo & ~(page_size - 1);
        if (hi > clip->hi)
            hi = clip->hi;
        if (lo >= hi || lo >= USER_ADDR_LIMIT)
            continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 1024;
            out->v = realloc(out->v, out->cap * sizeof *out->v);
            if (out->v == NULL)
                ref_die(1, "out of memory for %zu ranges", out->cap);
        }
        out->v[out->n].lo = lo;
        out->v[out->n].hi = hi;
        out->n++;
    }
}

/* Pages in [lo, hi), counting a partial last page as a page. */
static inline uint64_t ref_pages(uint64_t lo, uint64_t hi, uint64_t page_size)
{
    return (hi - lo + page_size - 1) / page_size;
}

static inline void ref_print(const struct counts *c, size_t vmas, uint64_t elapsed_ns)
{
    printf("pages=%" PRIu64 " present=%" PRIu64 " swapped=%" PRIu64 " file=%" PRIu64 " zero=%" PRId64
           " huge=%" PRId64 " vmas=%zu elapsed_ns=%" PRIu64 "\n",
           c->pages, c->present, c->swapped, c->file, c->zero, c->huge, vmas, elapsed_ns);
}

#endif
