package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;

/** The {@code aslr} sample, once, beside a second run: the same order, other addresses (C13 C24 C25). */
final class AslrDemo {

    /** The announced addresses, one per region kind, in the order the layout puts them (mmap area before stack). */
    static final List<String> KEYS = List.of("exe_code", "heap_chunk", "mmap_anon", "libc_fn", "ld_base", "vdso",
            "stack_local");

    private AslrDemo() {
    }

    static Demo demo() {
        return new Demo("aslr", "aslr", List.of(), Map.of(),
                "the layout's order is fixed, its addresses are random (one run beside a second one)",
                "One address in each region (program, heap, anonymous mmap, libc, the loader, the vDSO, the stack)"
                    + " of a run, compared with a second run started right after: what stays the same and what"
                    + " moves. 'inspector aslr' does the same over many runs and estimates the entropy.",
                List.of(
                        new DemoStep("layout", Judges.says("announced one address in each region, then stopped;"
                                + " a second run was made to compare"), List.of(sameOrder(), randomOffsets(),
                                SegmentsDemo.dataRunsIntoHeap()), new DemoStep.Probes(List.of(), List.of(), false,
                                true)),
                        Judges.step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    /** True when exe < heap < every mmap-area address < stack. */
    static boolean ordered(SampleStep s) {
        long exe = s.addr("exe_code");
        long heap = s.addr("heap_chunk");
        long stack = s.addr("stack_local");
        if (!(Long.compareUnsigned(exe, heap) < 0)) {
            return false;
        }
        for (String k : List.of("mmap_anon", "libc_fn", "ld_base")) {
            long a = s.addr(k);
            if (Long.compareUnsigned(heap, a) >= 0 || Long.compareUnsigned(a, stack) >= 0) {
                return false;
            }
        }
        return true;
    }

    static Expectation<DemoEvidence> sameOrder() {
        return claim("C24", "every process gets the same layout", e -> {
            SampleStep a = e.step();
            SampleStep b = e.rerun();
            if (b == null) {
                return Finding.cannotCheck(e.rerunMissing());
            }
            List<String> same = new ArrayList<>();
            for (String k : KEYS) {
                if (a.addr(k) == b.addr(k)) {
                    same.add(k);
                }
            }
            String seen = "program < heap < mmap area (anonymous, libc, loader) < stack in this run: "
                    + (ordered(a) ? "yes" : "no") + ", in the second: " + (ordered(b) ? "yes" : "no") + "; "
                    + same.size() + " of " + KEYS.size() + " addresses equal";
            if (!ordered(a) || !ordered(b)) {
                return Finding.differs(seen);
            }
            if (same.size() == KEYS.size()) {
                return Finding.holds(seen);
            }
            return Finding.holdsWithNuance(seen, "the same order, not the same addresses: ASLR places each region at"
                    + " a random offset per process (identical only with ASLR off, e.g. personality ADDR_NO_RANDOMIZE)");
        });
    }

    static Expectation<DemoEvidence> randomOffsets() {
        return claim("C25", "the stack, the mmap area and the heap get random offsets in every process", e -> {
            SampleStep a = e.step();
            SampleStep b = e.rerun();
            if (b == null) {
                return Finding.cannotCheck(e.rerunMissing());
            }
            List<String> moved = new ArrayList<>();
            List<String> stayed = new ArrayList<>();
            for (String k : KEYS) {
                (a.addr(k) == b.addr(k) ? stayed : moved).add(k + " " + hex(a.addr(k)) + (a.addr(k) == b.addr(k) ? ""
                        : " -> " + hex(b.addr(k))));
            }
            String seen = "randomize_va_space=" + a.value("randomize_va_space") + ", personality "
                    + a.value("personality") + "; moved between the two runs: " + (moved.isEmpty() ? "none"
                    : String.join(", ", moved)) + (stayed.isEmpty() ? "" : "; stayed: " + String.join(", ", stayed));
            long offA = a.addr("heap_chunk") - a.addr("exe_code");
            long offB = b.addr("heap_chunk") - b.addr("exe_code");
            seen += "; the heap's distance from the program " + (offA == offB ? "stayed " + hex(offA)
                    : "changed (" + hex(offA) + " -> " + hex(offB) + ")");
            if (stayed.isEmpty() && offA != offB) {
                return Finding.holds(seen);
            }
            if ("1".equals(a.value("addr_no_randomize"))) {
                return Finding.differs(seen, "ASLR is off for this process: its personality has ADDR_NO_RANDOMIZE");
            }
            if (stayed.isEmpty() && "1".equals(a.value("randomize_va_space"))) {
                return Finding.holdsWithNuance(seen, "randomize_va_space=1 randomises the stack, the mmap area and the"
                        + " vDSO but not the brk heap: it moves only with the program");
            }
            return Finding.differs(seen, "randomize_va_space=" + a.value("randomize_va_space"));
        });
    }
}
