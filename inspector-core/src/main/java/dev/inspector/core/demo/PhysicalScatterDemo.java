package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.PageStats;
import dev.inspector.core.model.KernelLayout.RamRange;
import dev.inspector.core.procfs.KernelFiles;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.step;

/** The {@code physical_scatter} sample: contiguous virtual pages on scattered frames (C36 C39; root). */
final class PhysicalScatterDemo {

    private PhysicalScatterDemo() {
    }

    static Demo demo() {
        return new Demo("physical_scatter", "physical_scatter", List.of(), Map.of(),
                "contiguous virtual memory lies on scattered physical frames (root)",
                "A region of contiguous pages touched last page first, then dropped and touched again: the frame"
                    + " behind every page, how many physically contiguous runs they form, and whether the same"
                    + " addresses get the same frames twice. Frame numbers are shown to root only.",
                List.of(
                        step("touched_in_reverse", s -> "touched its " + s.value("pages") + " pages, last page first",
                                List.of(scattered(), flatRamOfFrames())),
                        step("retouched_after_dontneed", s -> "dropped them with MADV_DONTNEED and touched all "
                                + s.value("pages") + " again, first page first", List.of(otherFramesNow())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> scattered() {
        return claim("C36", "contiguous virtual memory may be scattered over physical memory", e -> {
            if (!e.pfns()) {
                return Finding.cannotCheck(DemoEvidence.NO_PFNS);
            }
            PageStats st = DemoEvidence.stats(e.range("region"));
            String seen = st.pages() + " contiguous pages: " + st.present() + " present on " + st.distinctFrames()
                    + " distinct frames forming " + st.physicalRuns() + " physically contiguous run(s)";
            if (st.present() != st.pages() || st.distinctFrames() != st.present()) {
                return Finding.differs(seen);
            }
            return st.physicalRuns() > 1 ? Finding.holds(seen)
                    : Finding.differs(seen, "this time the kernel happened to give physically contiguous frames");
        });
    }

    static Expectation<DemoEvidence> flatRamOfFrames() {
        return claim("C39", "physical memory is one flat range of bytes, split into frames that programs do not see",
                e -> {
                    KernelFiles.SystemRam ram = e.kernel().ram();
                    if (!e.pfns()) {
                        return Finding.cannotCheck(DemoEvidence.NO_PFNS);
                    }
                    if (ram.ranges().isEmpty()) {
                        return Finding.cannotCheck("the RAM ranges are unknown: " + ram.note());
                    }
                    long outside = 0;
                    long ps = e.pageSize();
                    for (long pfn : DemoEvidence.frames(e.range("region"))) {
                        long phys = pfn * ps;
                        boolean in = false;
                        for (RamRange r : ram.ranges()) {
                            in |= Long.compareUnsigned(phys, r.start()) >= 0
                                    && Long.compareUnsigned(phys, r.end()) <= 0;
                        }
                        outside += in ? 0 : 1;
                    }
                    StringBuilder ranges = new StringBuilder();
                    for (RamRange r : ram.ranges()) {
                        ranges.append(ranges.length() == 0 ? "" : ", ").append(hex(r.start())).append('-')
                                .append(hex(r.end()));
                    }
                    String seen = "/proc/iomem System RAM: " + ram.ranges().size() + " range(s) (" + ranges + "); "
                            + outside + " of the region's frames outside them";
                    if (outside > 0) {
                        return Finding.differs(seen);
                    }
                    if (ram.ranges().size() == 1) {
                        return Finding.holdsWithNuance(seen, "frame numbers are shown to CAP_SYS_ADMIN only; other"
                                + " readers of pagemap see 0");
                    }
                    return Finding.holdsWithNuance(seen, "the frames are numbered (PFN = physical address / page"
                            + " size) and shown to CAP_SYS_ADMIN only, but RAM is not one range: it comes in pieces with"
                            + " holes for devices and firmware between them");
                });
    }

    static Expectation<DemoEvidence> otherFramesNow() {
        return claim("C36", "contiguous virtual memory may be scattered over physical memory", e -> {
            if (!e.pfns()) {
                return Finding.cannotCheck(DemoEvidence.NO_PFNS);
            }
            DemoEvidence first = e.earlierAt("touched_in_reverse");
            if (first == null) {
                return Finding.cannotCheck("the first touch was not measured");
            }
            long[] before = DemoEvidence.frames(first.range("region"));
            long[] now = DemoEvidence.frames(e.range("region"));
            Set<Long> old = new HashSet<>();
            for (long f : before) {
                old.add(f);
            }
            long reused = 0;
            long samePlace = 0;
            for (int i = 0; i < now.length; i++) {
                reused += old.contains(now[i]) ? 1 : 0;
                samePlace += i < before.length && before[i] == now[i] ? 1 : 0;
            }
            PageStats st = DemoEvidence.stats(e.range("region"));
            String seen = st.present() + " of " + st.pages() + " pages present in " + st.physicalRuns()
                    + " physical run(s); " + samePlace + " on the same frame as before, " + reused
                    + " on a frame the region had before";
            return Finding.holdsIf(st.present() == st.pages() && samePlace < st.pages(), seen);
        });
    }
}
