package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;

/** The {@code heap_frag} sample: blocks live until freed, holes are reused, the top block pins the heap (C10). */
final class HeapFragDemo {

    private HeapFragDemo() {
    }

    static Demo demo() {
        return new Demo("heap_frag", "heap_frag", List.of(), Map.of(),
                "heap blocks live until freed; freed holes are reused; the top block pins the heap",
                "A hundred 10 000-byte blocks, one freed and its hole reused, then all but the topmost freed and"
                    + " malloc_trim called: what the heap's size and resident memory do at each point.",
                List.of(
                        step("allocated_100x10000", s -> s.value("count") + " blocks of " + s.value("size")
                                + " bytes allocated and written", List.of(blocksLive())),
                        step("hole_reused", "freed block 50, then asked for 5000 bytes", List.of(holeReused())),
                        step("freed_all_but_top_block", s -> "freed " + s.value("freed") + " blocks, every one but"
                                + " the topmost", List.of(topBlockPins())),
                        step("after_malloc_trim", s -> "called malloc_trim(0), which returned " + s.value("trimmed"),
                                List.of(trimReturnsPages())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    private static long heapRss(Snapshot s) {
        Mapping h = DemoEvidence.first(s, MappingPath.Type.HEAP);
        if (h == null) {
            return -1;
        }
        Region r = DemoEvidence.regionAt(s, h.start());
        return r.smaps() == null ? -1 : r.smaps().rss();
    }

    static Expectation<DemoEvidence> blocksLive() {
        return claim("C10", "heap blocks stay allocated until they are freed", e -> {
            Mapping heap = e.heap();
            long n = e.step().number("count");
            long each = e.step().number("size");
            if (heap == null) {
                return Finding.differs("no [heap] line");
            }
            long rss = heapRss(e.now());
            String seen = "[heap] " + size(heap.size()) + ", " + rss / 1024 + " kB resident, for " + n + " live blocks"
                    + " of " + each + " bytes (" + n * each / 1024 + " kB)";
            return Finding.holdsIf(heap.size() >= n * each && rss >= n * each && heap.contains(e.at("first").address())
                    && heap.contains(e.at("top_block").address()), seen);
        });
    }

    static Expectation<DemoEvidence> holeReused() {
        return claim("C10", "freeing a block leaves a hole in the heap that a later request can fill", e -> {
            long hole = e.at("hole").address();
            long fresh = e.at("new_block").address();
            String seen = "the freed block was at " + hex(hole) + "; the 5000-byte block is at " + hex(fresh)
                    + (hole == fresh ? " (the same place)" : "");
            return Finding.holdsIf(hole == fresh, seen);
        });
    }

    static Expectation<DemoEvidence> topBlockPins() {
        return claim("C10", "freed blocks below a live one stay part of the heap: the heap fragments", e -> {
            Mapping heap = e.heap();
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.HEAP);
            if (heap == null || before == null) {
                return Finding.cannotCheck("no [heap] line to compare");
            }
            String seen = "[heap] end " + hex(before.end()) + " -> " + hex(heap.end()) + ", resident "
                    + heapRss(e.before()) / 1024 + " -> " + heapRss(e.now()) / 1024 + " kB, the live top block at "
                    + hex(e.at("top_block").address());
            return Finding.holdsIf(heap.end() == before.end() && heap.contains(e.at("top_block").address()), seen);
        });
    }

    static Expectation<DemoEvidence> trimReturnsPages() {
        return claim("C10", "the free space of a fragmented heap stays in the process until it is given back", e -> {
            Mapping heap = e.heap();
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.HEAP);
            if (heap == null || before == null) {
                return Finding.cannotCheck("no [heap] line to compare");
            }
            long rssBefore = heapRss(e.before());
            long rssNow = heapRss(e.now());
            String seen = "[heap] " + size(before.size()) + " -> " + size(heap.size()) + ", resident "
                    + rssBefore / 1024 + " -> " + rssNow / 1024 + " kB";
            if (rssNow >= rssBefore || Long.compareUnsigned(heap.end(), before.end()) > 0
                    || !heap.contains(e.at("top_block").address())) {
                return Finding.differs(seen);
            }
            return Finding.holdsWithNuance(seen, "malloc_trim(0) gave the free pages inside the heap back to the kernel"
                    + " (MADV_DONTNEED, " + (rssBefore - rssNow) / 1024 + " kB) and lowered the break to just above"
                    + " the top block: fragmentation keeps address space, not necessarily memory");
        });
    }
}
