package dev.inspector.cli;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.json.PagesJson;
import dev.inspector.core.json.PagesReport;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;
import dev.inspector.core.residency.ResidencyOptions;
import dev.inspector.core.residency.ResidencyReport;
import dev.inspector.core.residency.ResidencyService;
import dev.inspector.core.residency.ScanPath;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.present.Format;
import dev.inspector.present.PagesView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@Command(name = "pages", mixinStandardHelpOptions = true,
        header = "Page residency per mapping: present, swapped, zero page, huge.",
        description = {"Page residency per mapping: pages present, swapped, never touched, on the shared zero page,"
            + " huge (THP/hugetlb), file-backed and exclusive, with totals. N is the mapping's 1-based line in"
            + " /proc/PID/maps (the row order of 'inspector maps'). A figure the scan path cannot observe is '?',"
            + " never 0, with a line saying how to get it.",
            "With --pfn (root): physical runs (how scattered a virtually contiguous range is), /proc/kpageflags"
                + " counts by flag name and the /proc/kpagecount distribution.",
            "Memory stays small for huge mappings: counts stream, and a heat map has COLS cells whatever the size."})
public final class PagesCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class,
            description = "Process id, or 'self' for the inspector itself.")
    int pid;

    @Option(names = {"-m", "--mapping"}, paramLabel = "N",
            description = "Only mapping N (its 1-based line in /proc/PID/maps, as shown in column N).")
    Integer mapping;

    @Option(names = {"-r", "--range"}, paramLabel = "A-B",
            description = "Only the parts of mappings inside [A, B) (hex, 0x optional; widened to whole pages).")
    String range;

    @Option(names = "--heat", paramLabel = "COLS",
            description = "Draw a heat map of present pages with COLS cells: one line per mapping, or one line over"
                + " the whole --range.")
    Integer heat;

    @Option(names = "--ascii", description = "Heat-map cells in ASCII only (' ', '.', ':', '+', '#').")
    boolean ascii;

    @Option(names = "--pfn",
            description = "Frames (needs CAP_SYS_ADMIN, i.e. root): physical runs, kpageflags counts by name,"
                + " kpagecount distribution. Forces pagemap reads. Without the privilege the residency is still"
                + " shown, with one line saying PFNs are hidden, and the exit code is 7 (unsupported).")
    boolean pfn;

    @Option(names = "--path", paramLabel = "PATH", defaultValue = "auto",
            completionCandidates = Candidates.ScanPath.class,
            description = "Scan path: auto (PAGEMAP_SCAN when the kernel has it, pagemap reads when frames are"
                + " wanted), scan (ioctl PAGEMAP_SCAN, Linux 6.7+; no exclusive count), pagemap (one pagemap entry"
                + " per page; counts exclusive, no huge bit). Default: ${DEFAULT-VALUE}.")
    String path;

    @Option(names = "--json", description = "Write the report as JSON (unknown figures are null).")
    boolean json;

    @Option(names = "--accessed",
            description = "Add a REFERENCED column: smaps Referenced, i.e. memory accessed since '--mark-accessed'.")
    boolean accessed;

    @Option(names = "--written",
            description = "Add a WRITTEN column: pages soft-dirty (written) since '--mark-written'. Needs"
                + " CONFIG_MEM_SOFT_DIRTY; refused (exit 7) when the kernel lacks it.")
    boolean written;

    @Option(names = "--mark-accessed",
            description = "CHANGES KERNEL STATE OF THE TARGET: writes 1 to /proc/PID/clear_refs, clearing the"
                + " referenced bits of all its pages (this also influences page reclaim), then exits. Run"
                + " 'pages PID --accessed' later to see what was accessed since.")
    boolean markAccessed;

    @Option(names = "--mark-written",
            description = "CHANGES KERNEL STATE OF THE TARGET: writes 4 to /proc/PID/clear_refs, clearing the"
                + " soft-dirty bits of all its pages, then exits. Run 'pages PID --written' later. Refused (exit 7,"
                + " nothing written) when the kernel has no soft-dirty tracking.")
    boolean markWritten;

    @Mixin
    DisplayOptions display;

    @Override
    protected DisplayOptions display() {
        return json || markAccessed || markWritten ? null : display;
    }

    @Override
    protected int execute() throws Exception {
        exclusive("--mapping", mapping != null, "--range", range != null);
        exclusive("--mark-accessed", markAccessed, "--mark-written", markWritten);
        exclusive("--mark-accessed", markAccessed, "--accessed", accessed);
        exclusive("--mark-written", markWritten, "--written", written);
        if (heat != null && (heat < 1 || heat > 4096)) {
            throw usage("--heat takes 1 to 4096 columns, not " + heat);
        }
        ScanPath force = choice(path, new Candidates.ScanPath(), () -> parsePath(path));
        long[] rng = range == null ? null : option(() -> parseRange(range));
        InspectionSession session = host().session(pid);
        if (markWritten) {
            Path p = session.markWritten();
            out().println("marked: wrote 4 to " + p + " (soft-dirty bits of every page of " + pid + " cleared); run"
                    + " 'inspector pages " + pid + " --written' later to see which pages were written since");
            return ExitCodes.OK;
        }
        if (markAccessed) {
            Path p = session.markAccessed();
            out().println("marked: wrote 1 to " + p + " (referenced bits of every page of " + pid + " cleared); run"
                    + " 'inspector pages " + pid + " --accessed' later to see how much was accessed since");
            return ExitCodes.OK;
        }
        if (written) {
            session.requireSoftDirty();
        }

        host().prefetchFeatures(); // probed while the maps are read
        int ps = host().basicInfo().pageSize();
        Snapshot snap = session.snapshot(new SnapshotOptions(accessed, true, false, SnapshotOptions.Residency.NONE,
                false));
        KernelFeatures features = host().features();
        List<Region> regions = snap.regions();

        // Rows: (1-based index, region, the mapping clipped to the range).
        List<Integer> index = new ArrayList<>();
        List<Region> selected = new ArrayList<>();
        List<Mapping> shown = new ArrayList<>();
        long lo = 0;
        long hi = 0;
        if (mapping != null) {
            if (mapping < 1 || mapping > regions.size()) {
                throw usage("--mapping " + mapping + ": process " + pid + " has mappings 1 to " + regions.size());
            }
            index.add(mapping);
            selected.add(regions.get(mapping - 1));
            shown.add(regions.get(mapping - 1).mapping());
        } else {
            if (rng != null) {
                lo = rng[0] & -(long) ps;
                hi = (rng[1] + ps - 1) & -(long) ps;
            }
            for (int i = 0; i < regions.size(); i++) {
                Mapping m = regions.get(i).mapping();
                if (rng != null) {
                    if (Long.compareUnsigned(m.end(), lo) <= 0 || Long.compareUnsigned(m.start(), hi) >= 0) {
                        continue;
                    }
                    m = clip(m, lo, hi);
                }
                index.add(i + 1);
                selected.add(regions.get(i));
                shown.add(m);
            }
        }

        boolean kpages = pfn && features.kpageflags().available();
        ResidencyOptions o = ResidencyOptions.summary().withPfns(pfn).withKpageflags(kpages).forcing(force);
        String kpageNote = pfn && !kpages ? features.kpageflags().reason() : null;

        Map<Long, MappingResidency> byStart = new HashMap<>();
        Map<Long, HeatMap> heats = new HashMap<>();
        HeatMap rangeHeat = null;
        ResidencyReport report;
        if (heat != null && rng != null) {
            rangeHeat = new HeatMap(lo, hi, (int) Math.min(heat, (hi - lo) / ps), ps);
            report = session.residency(shown, o, rangeHeat);
            collect(report, byStart);
        } else if (heat != null) {
            // One heat map per mapping, so one scan per mapping: each map has at most COLS cells.
            report = null;
            for (Mapping m : shown) {
                HeatMap h = ResidencyService.coveredByPagemap(m)
                        ? new HeatMap(m.start(), m.end(), (int) Math.min(heat, m.size() / ps), ps) : null;
                ResidencyReport one = session.residency(List.of(m), o, h);
                collect(one, byStart);
                if (h != null) {
                    heats.put(m.start(), h);
                }
                if (report == null || !one.mappings().isEmpty()) {
                    report = one;
                }
            }
            if (report == null) {
                report = session.residency(List.of(), o, null);
            }
        } else {
            report = session.residency(shown, o, null);
            collect(report, byStart);
        }

        List<PagesReport.Row> rows = new ArrayList<>(shown.size());
        for (int i = 0; i < shown.size(); i++) {
            Mapping m = shown.get(i);
            Region r = selected.get(i);
            Long ref = accessed && r.smaps() != null && r.smaps().has("Referenced") ? r.smaps().get("Referenced")
                    : null;
            rows.add(new PagesReport.Row(index.get(i), r, m, byStart.get(m.start()), ref, heats.get(m.start())));
        }
        String rangeText = rng == null ? null : Format.hex(lo) + "-" + Format.hex(hi);
        PagesReport view = new PagesReport(pid, snap.process().comm(), regions.size(), ps, rangeText,
                report.path(), report.reason(), report.pfns(), pfn, kpageNote, accessed, written,
                features.pagemapScan().available(), rows, rangeHeat);
        if (json) {
            PagesJson.write(view, ascii, out());
        } else {
            renderer(display).render(PagesView.present(view, ascii), out());
        }
        // Asked for frames explicitly and could not get them: the residency is shown, the exit code says so.
        return pfn && report.pfns() != PfnState.KNOWN ? ExitCodes.UNSUPPORTED : ExitCodes.OK;
    }

    private static void collect(ResidencyReport r, Map<Long, MappingResidency> into) {
        for (MappingResidency m : r.mappings()) {
            into.put(m.mapping().start(), m);
        }
    }


    static Mapping clip(Mapping m, long lo, long hi) {
        long s = Long.compareUnsigned(m.start(), lo) < 0 ? lo : m.start();
        long e = Long.compareUnsigned(m.end(), hi) > 0 ? hi : m.end();
        return new Mapping(s, e, m.perms(), m.offset() + (s - m.start()), m.devMajor(), m.devMinor(), m.inode(),
                m.path());
    }

    static ScanPath parsePath(String p) {
        switch (p.toLowerCase(java.util.Locale.ROOT)) {
            case "auto":
                return null;
            case "scan":
                return ScanPath.PAGEMAP_SCAN;
            case "pagemap":
                return ScanPath.PAGEMAP;
            default:
                throw new IllegalArgumentException("--path must be auto, scan or pagemap, not '" + p + "'");
        }
    }

    /** "A-B", hex with optional 0x, A below B (unsigned). */
    static long[] parseRange(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("--range must be A-B in hex (e.g. 0x7f0000000000-0x7f0000100000), not '"
                    + text + "'");
        }
        long a = TranslateCommand.parseAddress(text.substring(0, dash), "--range start");
        long b = TranslateCommand.parseAddress(text.substring(dash + 1), "--range end");
        if (Long.compareUnsigned(a, b) >= 0) {
            throw new IllegalArgumentException("--range " + text + " is empty: the start must be below the end");
        }
        return new long[] {a, b};
    }
}
