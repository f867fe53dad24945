package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.Residency;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.ResidencyOptions;
import dev.inspector.core.residency.ResidencyReport;
import dev.inspector.core.residency.ScanPath;
import dev.inspector.core.bench.BenchProbes;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.present.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page-residency benchmark: one stopped {@code sparse_big} target (a sparse anonymous mapping with every 16th page
 * written, plus a fully written dense one), four readers measured in the same run, round by round interleaved: the
 * Java PAGEMAP_SCAN path, the Java pagemap-read path, and the C reference readers of each kind. Every reader covers
 * every mapping of the target and reads /proc/PID/maps inside its timing, as the C readers do; the C figures are the
 * {@code elapsed_ns} they print for their own scan, so process start-up is excluded on both sides.
 */
@Command(name = "pages", mixinStandardHelpOptions = true,
        header = "Page residency: the Java scan paths against the C readers.",
        description = {"Benchmark page residency: Java PAGEMAP_SCAN and pagemap reads against the C reference readers"
            + " (native samples) on one sparse_big target, interleaved round by round in one run.",
            "Prints medians, min/max, the ratios Java/C and pread/scan with their goals, the page counts of all four"
                + " readers (a mismatch exits 1) and the inspector's peak RSS during the measured rounds."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Benchmark ran and all four readers counted the same pages (goals met or not: see the output).",
            "1:The readers disagree on the page counts, or a reference reader failed.",
            "2:Usage error (bad option, native samples not found).",
            "7:The kernel has no PAGEMAP_SCAN (Linux 6.7+).",
        })
public final class BenchPagesCommand extends BaseCommand {

    /** Goals of the residency work: each Java path within 1.5x of its C counterpart, the scan 2x faster than pread. */
    static final double MAX_JAVA_OVER_C = 1.5;
    static final double MIN_PREAD_OVER_SCAN = 2.0;

    @Option(names = "--sparse-mib", paramLabel = "MIB", defaultValue = "8192",
            description = "Size of the sparse mapping (every 16th page written). Default: ${DEFAULT-VALUE}.")
    long sparseMib;

    @Option(names = "--dense-mib", paramLabel = "MIB", defaultValue = "1024",
            description = "Size of the fully written mapping. Default: ${DEFAULT-VALUE}.")
    long denseMib;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "15",
            description = "Measured rounds; each runs every reader once. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Unmeasured rounds first, so the JIT has compiled the Java paths. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Directory of the built native samples (default: native-samples/target/bin above the jar"
                + " or the working directory).")
    Path samples;

    @Override
    protected int execute() throws Exception {
        if (sparseMib < 1 || denseMib < 1) {
            throw usage("--sparse-mib and --dense-mib must be at least 1");
        }
        if (rounds < 1 || warmup < 0) {
            throw usage("--rounds must be at least 1 and --warmup at least 0");
        }
        SampleDirectory dir = SampleDirectory.find(samples).orElseThrow(() -> usage("native samples not found (no"
                + " native-samples/target/bin above the jar or the working directory): build them with"
                + " 'mvn -pl native-samples compile' or pass --samples DIR"));
        option(() -> BenchEnv.program(dir, "sparse_big"));
        option(() -> BenchEnv.program(dir, "pagemap_scan_ref"));
        option(() -> BenchEnv.program(dir, "pagemap_pread_ref"));
        KernelFeatures features = host().features();
        if (!features.pagemapScan().available()) {
            throw new UnsupportedFeature("PAGEMAP_SCAN unavailable, nothing to compare: "
                    + features.pagemapScan().reason());
        }
        PrintWriter out = out();
        out.println("bench pages: sparse_big " + sparseMib + " MiB sparse (every 16th page written) + " + denseMib
                + " MiB dense (every page written)");
        out.println("host: " + BenchHost.describe(new BenchProbes(host())));
        out.flush();
        try (SampleProgram target = dir.start("sparse_big", Long.toString(sparseMib),
                Long.toString(denseMib), "0")) {
            // Writing 1 GiB of pages and 8 GiB of page tables' worth of every-16th pages takes seconds.
            SampleStep ready = target.awaitStep("ready", Duration.ofMinutes(5));
            return measure(out, dir, features, target.pid(), ready);
        }
    }

    private int measure(PrintWriter out, SampleDirectory dir, KernelFeatures features, int pid, SampleStep ready)
            throws Exception {
        out.println("target: pid " + pid + ", stopped at its ready step; sparse " + ready.value("range.sparse")
                + " (" + ready.value("sparse_touched") + " pages written), dense " + ready.value("range.dense")
                + " (" + ready.value("dense_touched") + " pages written)");
        BenchProbes probes = new BenchProbes(host());
        ResidencyOptions scanOpts = ResidencyOptions.summary().forcing(ScanPath.PAGEMAP_SCAN);
        ResidencyOptions preadOpts = ResidencyOptions.summary().forcing(ScanPath.PAGEMAP);
        String pidArg = Integer.toString(pid);
        Duration refTimeout = Duration.ofMinutes(2);

        String[] names = {"Java PAGEMAP_SCAN", "Java pagemap pread", "C scan ref, wall incl. exec",
            "C pread ref, wall incl. exec"};
        Timing.Samples cScan = new Timing.Samples("C pagemap_scan_ref (elapsed_ns)", rounds);
        Timing.Samples cPread = new Timing.Samples("C pagemap_pread_ref (elapsed_ns)", rounds);
        Consistency counts = new Consistency(names.length);
        int[] vmas = new int[1];
        boolean[] measuring = {false};
        Timing.Task javaScan = () -> {
            ResidencyReport r = probes.scanProcess(pid, scanOpts);
            counts.record(0, PageCounts.of(r));
            vmas[0] = r.mappings().size();
        };
        Timing.Task javaPread = () -> counts.record(1, PageCounts.of(probes.scanProcess(pid, preadOpts)));
        Timing.Task refScan = () -> {
            ProgramRun r = reference(dir, refTimeout, "pagemap_scan_ref", pidArg);
            counts.record(2, PageCounts.parse(r.fields()));
            if (measuring[0]) {
                cScan.add(PageCounts.elapsedNs(r.fields()));
            }
        };
        Timing.Task refPread = () -> {
            ProgramRun r = reference(dir, refTimeout, "pagemap_pread_ref", pidArg);
            counts.record(3, PageCounts.parse(r.fields()));
            if (measuring[0]) {
                cPread.add(PageCounts.elapsedNs(r.fields()));
            }
        };
        Timing.Task[] tasks = {javaScan, javaPread, refScan, refPread};

        Timing.interleaved(warmup, 0, names, tasks);
        long rssBefore = probes.selfStatusBytes("VmRSS");
        boolean hwmReset = probes.resetPeakRss();
        measuring[0] = true;
        Timing.Samples[] wall = Timing.interleaved(0, rounds, names, tasks);
        long hwm = probes.selfStatusBytes("VmHWM");

        PageCounts java = counts.first(0);
        out.println("scope: every mapping of the target (" + vmas[0] + " mappings, " + java.pages() + " pages, "
                + Format.size(java.pages() * 4096) + "), /proc/PID/maps read and parsed inside each timing, as the C"
                + " readers do");
        out.println("method: " + warmup + " warm-up round(s) of every reader (the JIT compiles the Java paths; the"
                + " target's page tables are hot for all), then " + rounds + " measured rounds, each running Java"
                + " scan, Java pread, C scan, C pread in turn");
        out.println();
        out.println("in-process time (maps read + page scan; process start-up excluded on both sides):");
        Timing.Samples jScan = wall[0];
        Timing.Samples jPread = wall[1];
        for (Timing.Samples s : new Timing.Samples[] {jScan, jPread, cScan, cPread}) {
            out.println("  " + Timing.describe(s));
        }
        out.println("C wall time including fork/exec (for information):");
        out.println("  " + Timing.describe(wall[2]));
        out.println("  " + Timing.describe(wall[3]));
        out.println();
        List<Goal> goals = goals(jScan.median(), jPread.median(), cScan.median(), cPread.median());
        List<Goal> ofMins = goals(jScan.min(), jPread.min(), cScan.min(), cPread.min());
        out.println(String.format(Locale.ROOT, "  %-34s %8s %10s   %-8s %s", "ratio", "medians", "minimums", "goal",
                "met (medians)"));
        for (int i = 0; i < goals.size(); i++) {
            out.println("  " + goals.get(i).line(ofMins.get(i).ratio()));
        }
        out.println();
        out.println(String.format(Locale.ROOT, "  %-34s %10s %10s %10s %10s %10s", "page counts", "pages", "present",
                "swapped", "zero", "file"));
        String[] countNames = {"Java PAGEMAP_SCAN", "Java pagemap pread", "C pagemap_scan_ref", "C pagemap_pread_ref"};
        for (int i = 0; i < countNames.length; i++) {
            PageCounts c = counts.first(i);
            out.println(String.format(Locale.ROOT, "  %-34s %10d %10d %10d %10d %10d", countNames[i], c.pages(),
                    c.present(), c.swapped(), c.zero(), c.file()));
        }
        List<String> problems = counts.problems(countNames);
        out.println();
        out.println("memory: inspector peak RSS (VmHWM) " + (hwmReset ? "during the measured rounds" : "since start")
                + ": " + Format.size(hwm) + " (VmRSS before them " + Format.size(rssBefore) + "), for "
                + Format.size(java.pages() * 4096) + " of mappings scanned per reader per round");
        if (!problems.isEmpty()) {
            for (String p : problems) {
                out.println("counts: MISMATCH: " + p);
            }
            out.flush();
            err().println("inspector: bench pages: the readers disagree on the page counts (see above)");
            return ExitCodes.INTERNAL;
        }
        out.println("counts: identical in all four readers, in every round");
        return ExitCodes.OK;
    }

    private static ProgramRun reference(SampleDirectory dir, Duration timeout, String name, String pid) {
        ProgramRun r = dir.run(timeout, name, pid);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", r.command()) + " exited with status " + r.exitCode()
                    + ": " + r.stderr().strip());
        }
        return r;
    }

    /** The figures every reader reports; -1 is "cannot know" (zero pages with hidden PFNs). */
    record PageCounts(long pages, long present, long swapped, long zero, long file) {

        static PageCounts of(ResidencyReport r) {
            long pages = 0;
            long present = 0;
            long swapped = 0;
            long zero = 0;
            long file = 0;
            for (MappingResidency m : r.mappings()) {
                Residency x = m.residency();
                pages += x.pages();
                present += x.present();
                swapped += x.swapped();
                file += x.file();
                zero = zero < 0 || x.zeroPage() < 0 ? -1 : zero + x.zeroPage();
            }
            return new PageCounts(pages, present, swapped, zero, file);
        }

        /** From the reference readers' line {@code pages=… present=… swapped=… file=… zero=… huge=… vmas=… …}. */
        static PageCounts parse(Map<String, String> f) {
            return new PageCounts(number(f, "pages"), number(f, "present"), number(f, "swapped"), number(f, "zero"),
                    number(f, "file"));
        }

        static long elapsedNs(Map<String, String> f) {
            return number(f, "elapsed_ns");
        }

        private static long number(Map<String, String> f, String key) {
            String v = f.get(key);
            if (v == null) {
                throw new IllegalStateException("reference reader printed no '" + key + "=' in " + f);
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("reference reader printed " + key + "=" + v + ", not a number");
            }
        }

        /** Fields that differ; a -1 (unknown) on either side is not a difference. */
        List<String> differences(PageCounts o) {
            List<String> d = new ArrayList<>();
            diff(d, "pages", pages, o.pages);
            diff(d, "present", present, o.present);
            diff(d, "swapped", swapped, o.swapped);
            diff(d, "zero", zero, o.zero);
            diff(d, "file", file, o.file);
            return d;
        }

        private static void diff(List<String> d, String name, long a, long b) {
            if (a >= 0 && b >= 0 && a != b) {
                d.add(name + " " + a + " vs " + b);
            }
        }
    }

    /** Remembers each reader's first counts and every later call that differed from them. */
    static final class Consistency {
        private record Drift(int reader, int call, PageCounts counts) {
        }

        private final PageCounts[] first;
        private final int[] calls;
        private final List<Drift> drifts = new ArrayList<>();

        Consistency(int readers) {
            first = new PageCounts[readers];
            calls = new int[readers];
        }

        void record(int reader, PageCounts c) {
            calls[reader]++;
            if (first[reader] == null) {
                first[reader] = c;
            } else if (!first[reader].equals(c) && drifts.size() < 10) {
                drifts.add(new Drift(reader, calls[reader], c));
            }
        }

        PageCounts first(int reader) {
            return first[reader];
        }

        /** Differences between readers (each against the first) and between calls of one reader. */
        List<String> problems(String[] names) {
            List<String> out = new ArrayList<>();
            for (int i = 1; i < first.length; i++) {
                for (String d : first[0].differences(first[i])) {
                    out.add(names[0] + " vs " + names[i] + ": " + d);
                }
            }
            for (Drift d : drifts) {
                out.add(names[d.reader] + " call " + d.call + " counted " + d.counts + ", its first call "
                        + first[d.reader] + " (the target is stopped: nothing may change)");
            }
            return out;
        }
    }

    /** One goal: a ratio of medians and the bound it must meet. */
    record Goal(String name, double ratio, double bound, boolean atMost) {
        boolean met() {
            return atMost ? ratio <= bound : ratio >= bound;
        }

        /** The table line, with the same ratio of minimums beside it (the least disturbed rounds). */
        String line(double ofMinimums) {
            if (bound <= 0) {
                return String.format(Locale.ROOT, "%-34s %8.2f %10.2f   %-8s %s", name, ratio, ofMinimums, "-",
                        "(information)");
            }
            return String.format(Locale.ROOT, "%-34s %8.2f %10.2f   %-8s %s", name, ratio, ofMinimums,
                    (atMost ? "<= " : ">= ") + String.format(Locale.ROOT, "%.2f", bound), met() ? "yes" : "NO");
        }
    }

    /** The three goals of the benchmark plus the C pread/scan ratio for information. */
    static List<Goal> goals(long javaScan, long javaPread, long cScan, long cPread) {
        return List.of(
                new Goal("Java scan / C scan", ratio(javaScan, cScan), MAX_JAVA_OVER_C, true),
                new Goal("Java pread / C pread", ratio(javaPread, cPread), MAX_JAVA_OVER_C, true),
                new Goal("Java pread / Java scan", ratio(javaPread, javaScan), MIN_PREAD_OVER_SCAN, false),
                new Goal("C pread / C scan", ratio(cPread, cScan), 0, false));
    }

    static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
