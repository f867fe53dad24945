/*
 * address_limits: the kernel maps whole pages (1 byte asked, one page mapped; 5000 bytes, two pages; a file offset
 * must be page-aligned), user space ends just below 2^47 on 4-level paging (a page at the very top is refused, a
 * hint above 47 bits is not honoured unless the CPU and kernel use 5-level paging), the vsyscall page is the one
 * mapping in the kernel half, and a process may have at most vm.max_map_count mappings ("exhaust" proves it).
 * Steps and keys: native-samples/README.md.
 */
#include "pause.h"

#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#define PROBE_BASE 0x200000000000ull /* an area nothing else uses on 47-bit user space */
#define HIGH_HINT 0x100000000000000ull /* 2^56 */
#define TOP_47 0x800000000000ull       /* 2^47 */

static const char usage[] =
    "usage: address_limits [exhaust]\n"
    "  exhaust: also split one reservation into single-page mappings until the kernel refuses (ENOMEM at\n"
    "           vm.max_map_count mappings), announce it, and give them back.\n"
    "steps: mmap_granularity, user_space_top, map_count, map_count_limit (only with exhaust), done\n"
    "environment: SAMPLE_NOPAUSE=1 (no stops), SAMPLE_HOLD=1 (block after map_count until stdin EOF)\n"
    "details: native-samples/README.md\n";

static long count_maps(void)
{
    char buf[65536];
    long lines = 0;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die_call("open /proc/self/maps");
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

/* mmap at exactly `at` (MAP_FIXED_NOREPLACE), or NULL with errno set. */
static char *map_at(uintptr_t at, size_t len)
{
    char *p = mmap((void *)at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
                   0);
    return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
    sample_init(argc, argv, usage);
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "exhaust") != 0))
        usage_error("the only argument is 'exhaust', got '%s'", argv[1]);
    int exhaust = argc == 2;
    const size_t ps = (size_t)sysconf(_SC_PAGESIZE);

    char *one = map_at(PROBE_BASE, 1);
    if (one == NULL)
        die_call("mmap 1 byte at 0x200000000000");
    one[ps - 1] = 'x'; /* the last byte of the page is there too */
    char *five = map_at(PROBE_BASE + 0x100000, 5000);
    if (five == NULL)
        die_call("mmap 5000 bytes at 0x200000100000");
    five[2 * ps - 1] = 'x';
    int mfd = memfd_create("inspector-offset", MFD_CLOEXEC);
    if (mfd < 0)
        die_call("memfd_create");
    if (ftruncate(mfd, (off_t)(2 * ps)) != 0)
        die_call("ftruncate memfd");
    void *odd = mmap(NULL, ps, PROT_READ, MAP_PRIVATE, mfd, 100);
    const char *odd_result = odd == MAP_FAILED ? errno_name(errno) : "ok";
    close(mfd);
    STEP("mmap_granularity", "page_size=%zu auxv_pagesz=%lu addr.one_byte=%p len.one_byte=1 addr.five_thousand=%p "
         "len.five_thousand=5000 wrote_last_byte_of_page=1 file_offset_100=%s",
         ps, getauxval(AT_PAGESZ), (void *)one, (void *)five, odd_result);

    uintptr_t top_page = TOP_47 - 2 * ps;
    char *top = map_at(top_page, ps);
    const char *top_result = top != NULL ? "ok" : errno_name(errno);
    char *beyond = map_at(TOP_47 - ps, ps);
    const char *beyond_result = beyond != NULL ? "ok" : errno_name(errno);
    char *at47 = map_at(TOP_47, ps);
    const char *at47_result = at47 != NULL ? "ok" : errno_name(errno);
    char *hinted = mmap((void *)(uintptr_t)HIGH_HINT, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (hinted == MAP_FAILED)
        die_call("mmap with a hint at 2^56");
    char top_key[64] = "";
    if (top != NULL)
        snprintf(top_key, sizeof top_key, " addr.top_page=%p", (void *)top);
    STEP("user_space_top", "top_page=0x%lx top_page_result=%s%s last_page=0x%lx last_page_result=%s "
         "at_2_47_result=%s hint=0x%llx addr.hint_result=%p hint_honoured=%d addr.vsyscall=0xffffffffff600000",
         (unsigned long)top_page, top_result, top_key, (unsigned long)(TOP_47 - ps), beyond_result, at47_result,
         HIGH_HINT, (void *)hinted, (uintptr_t)hinted >= TOP_47);

    char max_buf[32];
    const char *max_map = read_first_line("/proc/sys/vm/max_map_count", max_buf, sizeof max_buf);
    STEP("map_count", "max_map_count=%s map_count=%ld", max_map, count_maps());
    sample_hold();

    if (exhaust) {
        long limit = strtol(max_map, NULL, 10);
        if (limit <= 0 || limit > (1L << 24))
            die(1, "%s: cannot read vm.max_map_count (got '%s')", sample_prog(), max_map);
        size_t pages = (size_t)limit * 2 + 8;
        char *bulk = mmap(NULL, pages * ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (bulk == MAP_FAILED)
            die_call("mmap the reservation to split");
        long calls = 0;
        int err = 0;
        for (size_t i = 1; i < pages; i += 2, calls++) {
            if (mprotect(bulk + i * ps, ps, PROT_NONE) != 0) {
                err = errno;
                break;
            }
        }
        long at_failure = count_maps();
        STEP("map_count_limit", "max_map_count=%ld map_count=%ld mprotect_calls=%ld result=%s range.bulk=%p-%p",
             limit, at_failure, calls, err != 0 ? errno_name(err) : "ok", (void *)bulk, (void *)(bulk + pages * ps));
        munmap(bulk, pages * ps);
    }

    STEP_PLAIN("done");
    return 0;
}
