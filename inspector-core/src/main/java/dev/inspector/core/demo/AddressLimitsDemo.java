package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code address_limits} sample: page granularity, the top of user space, the mapping limit (C16 C17 C33 C44 C45). */
final class AddressLimitsDemo {

    private AddressLimitsDemo() {
    }

    static Demo demo() {
        return new Demo("address_limits", "address_limits", List.of(), Map.of(),
                "mmap works in whole pages; user space ends at 128 TiB; a process may hold vm.max_map_count mappings",
                "One byte and 5000 bytes mapped at fixed addresses, pages asked for at the very top of the user"
                    + " half and beyond it, a hint far above it, and the count of mappings against the kernel's"
                    + " limit (run it with 'exhaust' to hit that limit).",
                List.of(
                        step("mmap_granularity", "mapped 1 byte and 5000 bytes at fixed addresses, wrote the last"
                                + " byte of each page, and tried a file mapping at offset 100",
                                List.of(wholePages(), pageSize())),
                        step("user_space_top", "asked for pages at the top of the user half, just past it and at"
                                + " 2^47, and for a mapping hinted at 2^56", List.of(notTwoLevels(), twoHalves())),
                        step("map_count", s -> "counted its own maps lines: " + s.value("map_count") + " (limit "
                                + s.value("max_map_count") + ")", List.of(mappingsAreLines())),
                        step("map_count_limit", s -> "split a reservation with mprotect until refused ("
                                + s.value("mprotect_calls") + " calls, then " + s.value("result") + ")",
                                List.of(limitReached())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> wholePages() {
        return claim("C17", "mmap works in whole pages", e -> {
            Located one = e.at("one_byte");
            Located five = e.at("five_thousand");
            if (!one.mapped() || !five.mapped()) {
                return Finding.differs(where(one) + "; " + where(five));
            }
            long ps = e.pageSize();
            String seen = "1 byte asked: a mapping of " + size(one.mapping().size()) + "; 5000 bytes: "
                    + size(five.mapping().size()) + "; the last byte of each page was writable; a file mapping at"
                    + " offset 100: " + e.step().value("file_offset_100");
            return Finding.holdsIf(one.mapping().size() == ps && five.mapping().size() == 2 * ps
                    && one.mapping().start() == one.address() && five.mapping().start() == five.address()
                    && e.step().value("wrote_last_byte_of_page").equals("1")
                    && e.step().value("file_offset_100").equals("EINVAL"), seen);
        });
    }

    static Expectation<DemoEvidence> pageSize() {
        return claim("C33", "memory is managed in 4 KiB pages, a size the hardware sets", e -> {
            long announced = e.step().number("page_size");
            long auxv = e.step().number("auxv_pagesz");
            String seen = "sysconf page size " + announced + ", the program's AT_PAGESZ " + auxv + ", ours "
                    + e.pageSize();
            return Finding.holdsIf(announced == 4096 && auxv == 4096 && e.pageSize() == 4096, seen);
        });
    }

    static Expectation<DemoEvidence> notTwoLevels() {
        return claim("C44", "address translation is a two-level table (10 + 10 + 12 bits) covering 4 GiB", e -> {
            SampleStep s = e.step();
            int levels = e.host().pagingLevels();
            String seen = levels + "-level paging; a page at " + s.value("top_page") + " (" + size(Long.decode(
                    s.value("top_page"))) + " up): " + s.value("top_page_result") + "; at " + s.value("last_page")
                    + ": " + s.value("last_page_result") + "; at 2^47: " + s.value("at_2_47_result")
                    + "; a hint at 2^56 honoured: " + s.value("hint_honoured");
            boolean beyond4G = Long.compareUnsigned(Long.decode(s.value("top_page")), 1L << 32) > 0
                    && (s.value("top_page_result").equals("ok") || s.value("top_page_result").equals("EEXIST"));
            if (!beyond4G) {
                return Finding.cannotCheck("the top page could not be mapped (" + s.value("top_page_result") + ")");
            }
            return Finding.differs(seen, "that is 32-bit paging without PAE; x86-64 walks " + levels + " levels of 9"
                    + " bits under a 12-bit page offset (" + (levels == 5 ? 57 : 48) + "-bit addresses), and user"
                    + " space alone reaches far beyond 4 GiB");
        });
    }

    static Expectation<DemoEvidence> twoHalves() {
        return claim("C45", "x86-64 uses 48 of 64 address bits: user addresses start with zeros, kernel ones with"
                + " ones, 128 TiB each", e -> {
                    SampleStep s = e.step();
                    int levels = e.host().pagingLevels();
                    long userTop = 1L << (levels == 5 ? 56 : 47);
                    Mapping highest = null;
                    Mapping vsyscall = null;
                    for (Region r : e.now().regions()) {
                        Mapping m = r.mapping();
                        if (m.path().type() == MappingPath.Type.VSYSCALL) {
                            vsyscall = m;
                        } else if (highest == null || Long.compareUnsigned(m.end(), highest.end()) > 0) {
                            highest = m;
                        }
                    }
                    String seen = "the highest user line ends at " + (highest == null ? "?" : hex(highest.end()))
                            + "; [vsyscall] " + (vsyscall == null ? "absent" : "at " + hex(vsyscall.start()))
                            + "; the last page below " + hex(userTop) + ": " + s.value("last_page_result")
                            + "; 2^47: " + s.value("at_2_47_result");
                    if (levels == 5) {
                        return Finding.differs(seen, "with 5-level paging addresses have 57 bits and each half is"
                                + " 64 PiB");
                    }
                    boolean ok = highest != null && Long.compareUnsigned(highest.end(), userTop) <= 0
                            && (vsyscall == null || vsyscall.start() < 0)
                            && s.value("at_2_47_result").equals("ENOMEM");
                    if (!ok) {
                        return Finding.differs(seen);
                    }
                    return Finding.holdsWithNuance(seen, "the user half stops one page short of 128 TiB (the kernel"
                            + " keeps the last page unmapped), and the kernel half shows only [vsyscall] in maps");
                });
    }

    static Expectation<DemoEvidence> mappingsAreLines() {
        return claim("C16", "mmap creates regions on request, and the kernel's record of them is visible in maps",
                e -> {
                    SampleStep s = e.step();
                    long counted = s.number("map_count");
                    int lines = e.now().regions().size();
                    Long max = e.kernel().maxMapCount().value();
                    String seen = "the program counted " + counted + " maps lines, the inspector " + lines
                            + "; vm.max_map_count " + (max == null ? "unknown" : max) + ", announced "
                            + s.value("max_map_count");
                    return Finding.holdsIf(counted == lines && max != null
                            && max == s.number("max_map_count"), seen);
                });
    }

    static Expectation<DemoEvidence> limitReached() {
        return claim("C16", "mmap creates regions on request, and the kernel's record of them is visible in maps",
                e -> {
                    SampleStep s = e.step();
                    long max = s.number("max_map_count");
                    long counted = s.number("map_count");
                    int lines = e.now().regions().size();
                    String seen = s.value("result") + " after " + s.value("mprotect_calls") + " splits, at "
                            + counted + " maps lines (the inspector reads " + lines + "); vm.max_map_count " + max;
                    if (!s.value("result").equals("ENOMEM") || counted < max) {
                        return Finding.differs(seen);
                    }
                    return Finding.holdsWithNuance(seen, "the limit counts the kernel's areas: maps lists one line"
                            + " more than the limit because [vsyscall] is shown but not counted");
                });
    }
}
