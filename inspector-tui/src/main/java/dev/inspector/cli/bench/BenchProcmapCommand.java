package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import dev.inspector.cli.PidConverter;
import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.bench.BenchProbes;
import dev.inspector.core.model.KernelFeatures;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PROCMAP_QUERY against the maps text, for the two jobs the inspector has: reading every mapping (a walk of
 * {@code ioctl(PROCMAP_QUERY)} from address 0 vs reading and parsing {@code /proc/PID/maps}) and finding the mapping
 * of one address (one ioctl on a fresh fd vs reading all of maps and a binary search), interleaved round by round on
 * the same process. {@link MappingLookup} uses the winner of each job.
 */
@Command(name = "procmap", mixinStandardHelpOptions = true,
        header = "PROCMAP_QUERY against parsing /proc/PID/maps.",
        description = {"Benchmark PROCMAP_QUERY (Linux 6.11+) against parsing /proc/PID/maps: whole-map reads and"
            + " single-address lookups, interleaved round by round on one process.",
            "Give a PID (or 'self'), or --many N to start the many_vmas sample with N mappings (stopped while"
                + " measured)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Benchmark ran and both ways found the same mappings.",
            "1:The two ways disagree on a stopped target.",
            "2:Usage error (bad option, native samples not found).",
            "3:No such process.",
            "7:The kernel has no PROCMAP_QUERY (Linux 6.11+).",
        })
public final class BenchProcmapCommand extends BaseCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class,
                description = "Process to measure on, or 'self'.")
        Integer pid;

        @Option(names = "--many", paramLabel = "N",
                description = "Start the many_vmas sample with N mappings (e.g. 60000) and measure on it.")
        Integer many;
    }

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "25",
            description = "Measured rounds; each runs every variant once. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
            description = "Unmeasured rounds first (JIT). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Directory of the built native samples (for --many).")
    Path samples;

    @Override
    protected int execute() throws Exception {
        if (rounds < 1 || warmup < 0) {
            throw usage("--rounds must be at least 1 and --warmup at least 0");
        }
        if (target.many != null && target.many < 1) {
            throw usage("--many must be at least 1");
        }
        KernelFeatures features = host().features();
        if (!features.procmapQuery().available()) {
            throw new UnsupportedFeature("PROCMAP_QUERY unavailable, nothing to compare: "
                    + features.procmapQuery().reason());
        }
        PrintWriter out = out();
        out.println("host: " + BenchHost.describe(new BenchProbes(host())));
        if (target.pid != null) {
            boolean self = target.pid == ProcessHandle.current().pid();
            return measure(out, target.pid, self ? "self (the inspector, running)" : "pid " + target.pid
                    + " (running)", false);
        }
        SampleDirectory dir = SampleDirectory.find(samples).orElseThrow(() -> usage("native samples not found: build them"
                + " with 'mvn -pl native-samples compile' or pass --samples DIR"));
        option(() -> BenchEnv.program(dir, "many_vmas"));
        try (SampleProgram s = dir.start("many_vmas", Integer.toString(target.many))) {
            s.awaitStep("ready", Duration.ofMinutes(2));
            return measure(out, s.pid(), "many_vmas " + target.many + " (pid " + s.pid() + ", stopped)", true);
        }
    }

    private int measure(PrintWriter out, int pid, String what, boolean stopped) throws Exception {
        BenchProbes probes = new BenchProbes(host());
        List<Mapping> maps = probes.maps(pid);
        long[] addrs = probeAddresses(maps, stopped, 64);
        out.println("target: " + what + ", " + maps.size() + " mappings");
        out.println("lookups: " + addrs.length + " addresses, one per call in rotation (the middle of mappings spread"
                + " over the map" + (stopped ? "" : "; file-backed ones only, which a running process does not"
                + " reshape") + ")");
        out.println("method: " + warmup + " warm-up round(s), then " + rounds + " measured rounds, each running the"
                + " four variants in turn");
        out.println();

        List<String> problems = new ArrayList<>();
        int[] walkCount = new int[1];
        int[] textCount = new int[1];
        int[] nextQ = new int[1];
        int[] nextT = new int[1];
        long[][] found = new long[2][addrs.length];
        String[] names = {"whole map: PROCMAP_QUERY walk", "whole map: maps text parse",
            "one address: PROCMAP_QUERY", "one address: maps text + search"};
        Timing.Task walk = () -> walkCount[0] = probes.walkByQuery(pid);
        Timing.Task text = () -> textCount[0] = probes.maps(pid).size();
        Timing.Task query = () -> {
            int i = nextQ[0]++ % addrs.length;
            found[0][i] = probes.lookupByQuery(pid, addrs[i]);
        };
        Timing.Task search = () -> {
            int i = nextT[0]++ % addrs.length;
            found[1][i] = probes.lookupByText(pid, addrs[i]);
        };
        Timing.Samples[] s = Timing.interleaved(warmup, rounds, names, walk, text, query, search);
        for (Timing.Samples x : s) {
            out.println("  " + Timing.describe(x));
        }
        out.println();
        out.println(String.format(Locale.ROOT, "  %-34s %12s   %s", "job", "query/text", "faster"));
        out.println("  " + verdict("whole-map read", s[0].median(), s[1].median()));
        out.println("  " + verdict("single-address lookup", s[2].median(), s[3].median()));

        // [vsyscall] is not a VMA: the walk never returns it, the text lists it.
        long vsyscall = maps.stream().filter(m -> m.start() < 0).count();
        if (stopped) {
            if (walkCount[0] + vsyscall != textCount[0]) {
                problems.add("PROCMAP_QUERY walk found " + walkCount[0] + " VMAs, maps lists " + textCount[0]
                        + " (of which " + vsyscall + " [vsyscall])");
            }
            for (int i = 0; i < addrs.length; i++) {
                if (found[0][i] != found[1][i]) {
                    problems.add("address 0x" + Long.toHexString(addrs[i]) + ": PROCMAP_QUERY found 0x"
                            + Long.toHexString(found[0][i]) + ", the text 0x" + Long.toHexString(found[1][i]));
                }
            }
        }
        out.println();
        out.println("check: walk " + walkCount[0] + " VMAs, text " + textCount[0] + " mappings (" + vsyscall
                + " [vsyscall], which is no VMA); " + (stopped ? (problems.isEmpty()
                ? "every lookup found the same mapping both ways" : problems.size() + " disagreement(s)")
                : "not compared strictly: the target runs and may change between reads"));
        if (!problems.isEmpty()) {
            for (String p : problems.subList(0, Math.min(10, problems.size()))) {
                out.println("MISMATCH: " + p);
            }
            out.flush();
            err().println("inspector: bench procmap: PROCMAP_QUERY and the maps text disagree on a stopped target");
            return ExitCodes.INTERNAL;
        }
        return ExitCodes.OK;
    }

    /** "name   0.12   PROCMAP_QUERY (8.1x)": the ratio query/text of medians and which way is faster. */
    static String verdict(String job, long queryNs, long textNs) {
        double r = BenchPagesCommand.ratio(queryNs, textNs);
        String faster = queryNs < textNs ? String.format(Locale.ROOT, "PROCMAP_QUERY (%.1fx)", (double) textNs / queryNs)
                : String.format(Locale.ROOT, "maps text (%.1fx)", (double) queryNs / Math.max(1, textNs));
        return String.format(Locale.ROOT, "%-34s %12.3f   %s", job, r, faster);
    }

    /**
     * Up to {@code n} addresses, each the middle of a mapping, the mappings spread evenly over the list. User-half
     * mappings only (PROCMAP_QUERY has no [vsyscall]); for a running target only file-backed ones, when there are any.
     */
    static long[] probeAddresses(List<Mapping> maps, boolean stopped, int n) {
        List<Mapping> pool = new ArrayList<>();
        for (Mapping m : maps) {
            if (m.start() >= 0 && (stopped || m.path().isFile())) {
                pool.add(m);
            }
        }
        if (pool.isEmpty()) {
            maps.stream().filter(m -> m.start() >= 0).forEach(pool::add);
        }
        if (pool.isEmpty()) {
            throw new UnsupportedFeature("the target has no mapping in the user half of its address space");
        }
        int k = Math.min(n, pool.size());
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            Mapping m = pool.get((int) ((long) i * pool.size() / k));
            out[i] = m.start() + ((m.end() - m.start()) / 2 & ~4095L);
        }
        return out;
    }
}
