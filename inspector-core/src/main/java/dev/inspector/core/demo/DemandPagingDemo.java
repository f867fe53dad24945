package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.PageStats;
import dev.inspector.core.model.Region;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.residency.PageInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;

/**
 * The {@code demand_paging} sample: pages appear when touched, go away with MADV_DONTNEED, come from a file, or in
 * 2 MiB pieces (C29 C31 C32 C34 C42).
 */
final class DemandPagingDemo {

    private DemandPagingDemo() {
    }

    static Demo demo() {
        return new Demo("demand_paging", "demand_paging", List.of(), Map.of(),
                "memory is given page by page when touched, taken back, read from files, or given in 2 MiB pieces",
                "An anonymous region mapped, half read, all written, dropped with MADV_DONTNEED; a THP region; a file"
                    + " mapped and read from a cold cache: which pages have frames after each step and how many faults"
                    + " it cost. Whether a read maps the shared zero page depends on the kernel: it is measured.",
                List.of(
                        step("after_mmap_anon", s -> "mmap of " + size(Long.parseLong(s.value("pages"))
                                * Long.parseLong(s.value("page_size"))) + " of anonymous memory, nothing touched",
                                List.of(everyPageBacked(), backedByNothingYet())),
                        step("after_read_first_half", s -> "read one byte of each of the first " + s.value("pages_read")
                                + " pages", List.of(oneFaultPerPage("pages_read"), everyPageBacked())),
                        step("after_write_all", s -> "wrote one byte of each of the " + s.value("pages_written")
                                + " pages", List.of(faultPerPageWithoutFrame(), everyPageBacked(), pageTablesGrow())),
                        step("after_madv_dontneed", "madvise(MADV_DONTNEED) on the whole region",
                                List.of(everyPageBacked())),
                        step("after_write_thp_region", s -> "mapped a 2 MiB-aligned region with MADV_HUGEPAGE and wrote"
                                + " its " + s.value("pages_written") + " pages", List.of(hugePages(), fewerFaults())),
                        step("after_mmap_file", "mapped a data file read-only (its page cache dropped before)",
                                List.of(fileBackedNothingResident())),
                        step("after_read_file", s -> "read one byte of each of the file's " + s.value("pages_read")
                                + " pages", List.of(filePagesResident(), fileFaultsBatched())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> everyPageBacked() {
        return claim("C31", "every virtual page is backed by a physical page", e -> {
            List<PageInfo> pages = e.range("anon");
            PageStats st = DemoEvidence.stats(pages);
            String frames = st.distinctFrames() >= 0 ? ", on " + st.distinctFrames() + " distinct frames" : "";
            String seen = st.present() + " of " + st.pages() + " pages present" + frames + ", " + st.exclusive()
                    + " mapped exclusively";
            if (st.present() < st.pages()) {
                String extra = "";
                if (e.step().has("range.read") && e.ranges().get("read") != null) {
                    PageStats r = DemoEvidence.stats(e.range("read"));
                    extra = r.distinctFrames() >= 0 ? "; the " + r.present() + " pages read are on "
                            + r.distinctFrames() + " frame(s)" + (r.distinctFrames() == 1 && r.present() > 1
                            ? " (the shared zero page)" : r.distinctFrames() == r.present() ? " of their own (this"
                            + " kernel maps no shared zero page on a read)" : "")
                            : "; " + r.exclusive() + " of the " + r.present() + " pages read are mapped exclusively";
                }
                DemoEvidence had = e.earlierWithRange("anon");
                boolean dropped = had != null && DemoEvidence.stats(had.ranges().get("anon")).present() > st.present();
                return Finding.differs(seen, (dropped ? "the frames the region had were taken away again"
                        + " (MADV_DONTNEED); a page gets one back only when it is touched"
                        : "a page gets a frame only when it is first touched (demand paging)") + extra);
            }
            boolean own = st.distinctFrames() >= 0 ? st.distinctFrames() == st.present()
                    : st.exclusive() == st.present();
            return own ? Finding.holds(seen) : Finding.differs(seen, "some pages share one frame: pages only read map"
                    + " the shared zero page");
        });
    }

    static Expectation<DemoEvidence> backedByNothingYet() {
        return claim("C32", "an address may be backed by RAM, by a file, or by nothing", e -> {
            PageStats st = DemoEvidence.stats(e.range("anon"));
            Region r = e.regionAt(e.step().range("anon").lo());
            return Finding.holdsIf(st.present() == 0 && r != null && Judges.anonymous(r.mapping()), "a new anonymous"
                    + " mapping with " + st.present() + " of " + st.pages() + " pages present: backed by nothing yet");
        });
    }

    static Expectation<DemoEvidence> oneFaultPerPage(String countKey) {
        return claim("C29", "a page fault is routine: the kernel supplies the missing page", e -> {
            long n = e.step().number(countKey);
            long faults = e.minorFaultsSincePrevious();
            PageStats st = DemoEvidence.stats(e.range("read"));
            return Finding.holdsIf(faults >= n && st.present() == n, "minflt +" + faults + " for " + n + " pages read;"
                    + " " + st.present() + " of them present now");
        });
    }

    static Expectation<DemoEvidence> faultPerPageWithoutFrame() {
        return claim("C29", "a page fault is routine: the kernel supplies the missing page", e -> {
            DemoEvidence prev = e.earlierWithRange("anon");
            if (prev == null) {
                return Finding.cannotCheck("the region was not measured before the writes");
            }
            PageStats before = DemoEvidence.stats(prev.ranges().get("anon"));
            long need = before.pages() - before.exclusive();
            long faults = e.minorFaultsSincePrevious();
            PageStats now = DemoEvidence.stats(e.range("anon"));
            String seen = "minflt +" + faults + " for " + now.pages() + " pages written, of which " + need
                    + " had no frame of their own; " + now.exclusive() + " exclusive now";
            if (faults < need || now.exclusive() != now.pages()) {
                return Finding.differs(seen);
            }
            if (need < now.pages()) {
                return Finding.holdsWithNuance(seen, "the pages read before already had frames of their own (no"
                        + " shared zero page here), so writing them cost no fault");
            }
            return Finding.holds(seen);
        });
    }

    static Expectation<DemoEvidence> pageTablesGrow() {
        return claim("C42", "page tables live in RAM and belong to the kernel", e -> {
            DemoEvidence start = e.earlierAt("after_mmap_anon");
            if (start == null) {
                return Finding.cannotCheck("no stop before the region was touched");
            }
            long before = DemoEvidence.status(start.now(), "VmPTE");
            long now = e.status("VmPTE");
            long pages = e.range("anon").size();
            long tables = pages / 512 * e.pageSize(); // one 4 KiB table maps 512 pages
            String seen = "VmPTE " + before / 1024 + " -> " + now / 1024 + " kB after touching " + pages + " pages"
                    + " (at least " + tables / 1024 + " kB of tables for them)";
            if (before < 0 || now < 0 || now - before < tables) {
                return Finding.differs(seen);
            }
            return Finding.holdsWithNuance(seen, "seen only indirectly: the kernel counts the memory of this"
                    + " process's page tables (VmPTE), but the tables themselves cannot be read from user space");
        });
    }

    static Expectation<DemoEvidence> hugePages() {
        return claim("C34", "besides 4 KiB pages there are 2 MiB pages", e -> {
            String madv = e.step().value("madv_hugepage");
            String thp = e.kernel().thp();
            if (thp == null) {
                return Finding.cannotCheck("this kernel has no transparent huge pages (no"
                        + " /sys/kernel/mm/transparent_hugepage)");
            }
            if (thp.equals("never")) {
                return Finding.cannotCheck("transparent huge pages are disabled here (enabled = never)");
            }
            if (!madv.equals("ok")) {
                return Finding.cannotCheck("madvise(MADV_HUGEPAGE) failed with " + madv);
            }
            return hugeFinding(e, "thp", thp);
        });
    }

    /** AnonHugePages of the line holding range.LABEL, and the kpageflags THP count as root. */
    static Finding hugeFinding(DemoEvidence e, String label, String thp) {
        SampleStep.Range r = e.step().range(label);
        Region region = e.regionAt(r.lo());
        if (region == null || region.smaps() == null) {
            return Finding.differs("no line holds " + r);
        }
        long huge = region.smaps().get("AnonHugePages");
        long thpPages = 0;
        long heads = 0;
        boolean flags = false;
        for (PageInfo p : e.range(label)) {
            if (p.kpageflags() != null) {
                flags = true;
                thpPages += p.kpageflags().has(KPageFlags.Flag.THP) ? 1 : 0;
                heads += p.kpageflags().has(KPageFlags.Flag.COMPOUND_HEAD) ? 1 : 0;
            }
        }
        String seen = "smaps AnonHugePages " + huge / 1024 + " kB of " + size(r.size()) + (flags ? "; kpageflags THP on "
                + thpPages + " pages, " + heads + " compound heads" : "");
        if (huge == 0) {
            return Finding.differs(seen, "the kernel gave this region no huge page (THP " + thp + ")");
        }
        return Finding.holdsWithNuance(seen, "these are transparent huge pages: with THP in '" + thp + "' mode the"
                + " kernel uses 2 MiB pages " + (thp.equals("always") ? "wherever a region allows" : "only where a"
                + " region asks with MADV_HUGEPAGE") + ", and nobody but the kernel chooses");
    }

    static Expectation<DemoEvidence> fewerFaults() {
        return claim("C29", "a page fault is routine: the kernel supplies the missing page", e -> {
            long n = e.step().number("pages_written");
            long faults = e.minorFaultsSincePrevious();
            String seen = "minflt +" + faults + " for " + n + " pages written";
            if (faults >= n) {
                return Finding.holds(seen);
            }
            return Finding.holdsWithNuance(seen, "one fault supplied a whole 2 MiB page (512 base pages): faults are"
                    + " not pages");
        });
    }

    static Expectation<DemoEvidence> fileBackedNothingResident() {
        return claim("C32", "an address may be backed by RAM, by a file, or by nothing", e -> {
            PageStats st = DemoEvidence.stats(e.range("file"));
            Region r = e.regionAt(e.step().range("file").lo());
            boolean file = r != null && r.mapping().path().isFile()
                    && r.mapping().path().name().equals(e.step().value("file"));
            return Finding.holdsIf(file && st.present() == 0, (r == null ? "no line" : Judges.brief(r)) + ": "
                    + st.present() + " of " + st.pages() + " pages present; backed by the file, nothing of it in"
                    + " this process's page tables yet");
        });
    }

    static Expectation<DemoEvidence> filePagesResident() {
        return claim("C32", "an address may be backed by RAM, by a file, or by nothing", e -> {
            PageStats st = DemoEvidence.stats(e.range("file"));
            return Finding.holdsIf(st.present() == st.pages() && st.file() == st.pages(), st.present() + " of "
                    + st.pages() + " pages present, " + st.file() + " with pagemap bit 61: page-cache pages of the"
                    + " file, in RAM");
        });
    }

    static Expectation<DemoEvidence> fileFaultsBatched() {
        return claim("C29", "a page fault is routine: the kernel reads the missing page in", e -> {
            long n = e.step().number("pages_read");
            long minor = e.minorFaultsSincePrevious();
            long major = e.majorFaultsSincePrevious();
            String seen = "minflt +" + minor + ", majflt +" + major + " for " + n + " pages read (cache dropped: "
                    + e.earlier("after_mmap_file").values().getOrDefault("cache_dropped", "?") + ")";
            if (minor + major >= n) {
                return Finding.holds(seen);
            }
            return Finding.holdsWithNuance(seen, "far fewer faults than pages: a major fault reads ahead many pages"
                    + " and a minor one maps the cached pages around it (fault-around), so faults are not pages");
        });
    }
}
