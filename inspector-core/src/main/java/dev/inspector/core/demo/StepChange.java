package dev.inspector.core.demo;

import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.residency.PageInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What changed in the announcing process since its previous stop, as far as a step is about it: the mappings that
 * were added, removed, grown, split, merged or re-protected ({@code mappings}, from {@link
 * dev.inspector.core.diff.SnapshotDiff}), its page faults, the memory lines of status that moved, the present pages of
 * every range announced now and at an earlier stop, and the frame behind every address announced now and earlier. {@code first} is
 * true at a process's first stop (nothing to compare with: the lists are empty).
 */
public record StepChange(boolean first, List<RegionChange> mappings, long minorFaults, long majorFaults,
                         List<DiffResult.FieldDelta> memory, List<RangeDelta> ranges, List<FrameDelta> frames) {

    /** Status lines worth showing when they move. */
    static final List<String> MEMORY_FIELDS = List.of("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
            "VmPTE", "VmSwap");

    public StepChange {
        mappings = List.copyOf(mappings);
        memory = List.copyOf(memory);
        ranges = List.copyOf(ranges);
        frames = List.copyOf(frames);
    }

    /** Present pages of {@code range.<label>} before and after (the range as announced now). */
    public record RangeDelta(String label, long pages, long presentBefore, long presentAfter) {
    }

    /**
     * The frame of {@code addr.<label>} before and after: PFNs (-1 hidden or not present) and kpagecount (-1 unknown).
     */
    public record FrameDelta(String label, long address, long pfnBefore, long pfnAfter, long mapCountBefore,
                             long mapCountAfter) {
        public boolean moved() {
            return pfnBefore != pfnAfter;
        }
    }

    static StepChange none() {
        return new StepChange(true, List.of(), 0, 0, List.of(), List.of(), List.of());
    }

    static StepChange between(DemoEvidence before, DemoEvidence after, DiffResult diff) {
        if (before == null) {
            return none();
        }
        List<RegionChange> maps = new ArrayList<>();
        for (RegionChange c : diff.changes()) {
            if (c.significant()) {
                maps.add(c);
            }
        }
        List<DiffResult.FieldDelta> memory = new ArrayList<>();
        for (DiffResult.FieldDelta f : diff.process().statusMemory()) {
            if (MEMORY_FIELDS.contains(f.name()) && f.delta() != null && f.delta() != 0) {
                memory.add(f);
            }
        }
        List<RangeDelta> ranges = new ArrayList<>();
        for (Map.Entry<String, List<PageInfo>> e : after.ranges().entrySet()) {
            DemoEvidence had = after.earlierWithRange(e.getKey());
            List<PageInfo> old = had == null ? null : had.ranges().get(e.getKey());
            if (old != null && old.size() == e.getValue().size() && !old.isEmpty() && !e.getValue().isEmpty()
                    && old.get(0).address() == e.getValue().get(0).address()) {
                ranges.add(new RangeDelta(e.getKey(), e.getValue().size(), DemoEvidence.stats(old).present(),
                        DemoEvidence.stats(e.getValue()).present()));
            }
        }
        List<FrameDelta> frames = new ArrayList<>();
        for (Map.Entry<String, DemoEvidence.Located> e : after.addresses().entrySet()) {
            DemoEvidence had = after.earlierWithAddress(e.getKey());
            DemoEvidence.Located old = had == null ? null : had.addresses().get(e.getKey());
            DemoEvidence.Located now = e.getValue();
            if (old != null && old.address() == now.address() && old.page() != null && now.page() != null) {
                frames.add(new FrameDelta(e.getKey(), now.address(), pfn(old.page()), pfn(now.page()),
                        old.page().mapCount(), now.page().mapCount()));
            }
        }
        return new StepChange(false, maps, diff.process().minorFaultsDelta(), diff.process().majorFaultsDelta(),
                memory, ranges, frames);
    }

    private static long pfn(PageInfo p) {
        return p.entry().present() ? p.entry().pfn() : -1;
    }
}
