package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code stack_overflow} sample: the stack grows on demand up to its limit, then SIGSEGV (C03 C05). */
final class StackOverflowDemo {

    /** The kernel's default stack_guard_gap, in pages (mm/mmap.c), unless the boot command line sets it. */
    static final long DEFAULT_GUARD_GAP_PAGES = 256;

    private StackOverflowDemo() {
    }

    static Demo demo() {
        return new Demo("stack_overflow", "stack_overflow", List.of(), Map.of(),
                "the stack grows on demand up to its limit, and overflowing it is a SIGSEGV",
                "A write far below the stack pointer, sixteen 64 KiB frames, then unbounded recursion caught by a"
                    + " SIGSEGV handler on an alternate stack: how [stack] grows, where it stops (RLIMIT_STACK, or"
                    + " the guard gap above another mapping when run with 'gap') and what the kernel reports.",
                List.of(
                        step("start", s -> "started" + ("1".equals(s.value("rlimit_changed"))
                                ? "; set its soft RLIMIT_STACK to 8 MiB" : ""), List.of(stackIsLimited())),
                        step("touched_below_sp", s -> "wrote one byte " + s.value("below_sp_kib") + " KiB below its"
                                + " stack pointer, nothing in between", List.of(growsOnDemand())),
                        step("placed_blocker", s -> "mapped a read-only page " + s.value("below_sp_kib") + " KiB below"
                                + " the stack pointer", List.of()),
                        step("recursed", s -> s.value("frames") + " nested calls with " + s.value("frame_bytes")
                                + "-byte frames, " + s.value("depth_kib") + " KiB deep", List.of()),
                        step("overflow_sigsegv", s -> "recursed without bound until the stack could not grow; the"
                                + " SIGSEGV handler reports from its alternate stack", List.of(overflowIsSegv(),
                                stopsOnlyWhenItCannotGrow())),
                        step("done", "back in main after the handler; finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> stackIsLimited() {
        return claim("C03", "the stack is limited in size", e -> {
            long announced = e.step().number("rlimit_stack_kib") * 1024;
            long soft = e.now().process().stackLimitSoft();
            return Finding.holdsIf(soft == announced && soft > 0, "RLIMIT_STACK (soft) " + (soft < 0 ? "unlimited"
                    : size(soft)) + " in /proc/PID/limits; the program announced " + size(announced));
        });
    }

    static Expectation<DemoEvidence> growsOnDemand() {
        return claim("C05", "the stack grows on demand", e -> {
            Located touched = e.at("touched");
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.STACK);
            Mapping now = e.stack();
            if (before == null || now == null) {
                return Finding.cannotCheck("no [stack] line to compare");
            }
            String seen = "[stack] " + size(before.size()) + " -> " + size(now.size()) + ", now from "
                    + hex(now.start()) + "; " + where(touched);
            if (before.contains(touched.address()) || !now.contains(touched.address())) {
                return Finding.differs(seen);
            }
            return Finding.holdsWithNuance(seen, "one write " + e.step().value("below_sp_kib") + " KiB below the stack"
                    + " pointer extended the stack at once, the pages in between untouched: the kernel checks the"
                    + " limit and the gap to the next mapping, not the distance from the stack pointer");
        });
    }

    private static long guardGapBytes(DemoEvidence e) {
        String p = e.kernel().bootParameter("stack_guard_gap");
        long pages = DEFAULT_GUARD_GAP_PAGES;
        if (p != null) {
            try {
                pages = Long.parseLong(p);
            } catch (NumberFormatException ignored) {
                // the kernel ignores a malformed value too
            }
        }
        return pages * e.pageSize();
    }

    static Expectation<DemoEvidence> overflowIsSegv() {
        return claim("C03", "overflowing the stack ends in SIGSEGV", e -> {
            SampleStep s = e.step();
            Located si = e.at("si_addr");
            Mapping stack = e.stack();
            Located handler = e.at("handler_local");
            if (stack == null) {
                return Finding.differs("no [stack] line");
            }
            String seen = s.value("signal") + " " + s.value("si_code_name") + " at " + hex(si.address()) + ", "
                    + (stack.start() - si.address()) + " bytes below [stack] (" + size(stack.size()) + ", "
                    + s.value("depth_kib") + " KiB deep); the handler ran at " + hex(handler.address());
            boolean ok = s.value("signal").equals("SIGSEGV") && s.value("si_code_name").equals("SEGV_MAPERR")
                    && !si.mapped() && Long.compareUnsigned(si.address(), stack.start()) < 0
                    && stack.start() - si.address() <= 2L * 65536 + e.pageSize()
                    && s.range("altstack").contains(handler.address());
            if (!ok) {
                return Finding.differs(seen);
            }
            return Finding.holdsWithNuance(seen, "a handler can run only on an alternate signal stack (sigaltstack):"
                    + " the overflowing stack has no room left for its frame");
        });
    }

    static Expectation<DemoEvidence> stopsOnlyWhenItCannotGrow() {
        return claim("C05", "the stack overflows only when it cannot grow any more", e -> {
            Mapping stack = e.stack();
            long limit = e.now().process().stackLimitSoft();
            if (stack == null || limit <= 0) {
                return Finding.cannotCheck("no [stack] line or no stack limit");
            }
            SampleStep blocker = e.earlier("placed_blocker");
            if (blocker == null) {
                long frame = 65536;
                String seen = "[stack] grew to " + size(stack.size()) + " of RLIMIT_STACK " + size(limit);
                return Finding.holdsIf(stack.size() <= limit && stack.size() > limit - 2 * frame - e.pageSize(),
                        seen);
            }
            long blockerEnd = blocker.range("blocker").hi();
            long gap = guardGapBytes(e);
            String seen = "[stack] stopped at " + hex(stack.start()) + ", " + size(stack.start() - blockerEnd)
                    + " above the page mapped below it (stack_guard_gap " + size(gap) + "), at " + size(stack.size())
                    + " of RLIMIT_STACK " + size(limit);
            if (stack.start() - blockerEnd < gap || stack.size() >= limit) {
                return Finding.differs(seen);
            }
            return Finding.holdsWithNuance(seen, "the stack could not grow long before its limit: the kernel keeps"
                    + " stack_guard_gap free between a stack and the mapping below it");
        });
    }
}
