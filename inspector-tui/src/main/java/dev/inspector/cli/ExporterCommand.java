package dev.inspector.cli;

import dev.inspector.cli.export.ExporterServer;
import dev.inspector.cli.export.Listen;
import dev.inspector.core.export.Collection;
import dev.inspector.core.export.ExportOptions;
import dev.inspector.core.export.ProcessExporter;
import dev.inspector.core.export.SkipReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

@Command(name = "exporter", mixinStandardHelpOptions = true,
        header = "Serve per-process memory by region kind to Prometheus.",
        description = {"Serve per-process memory by region kind to Prometheus: an HTTP endpoint (/metrics) in the"
            + " Prometheus text and OpenMetrics formats, written by the official Prometheus Java client.",
            "Every process gets its totals (RSS, PSS, swap, private, shared, THP from smaps_rollup; mappings; threads;"
                + " minor and major faults). Processes chosen with --pid or --match also get the same figures per"
                + " region kind (heap, stack, thread-stack, text, anonymous ...: the kinds of 'inspector maps'),"
                + " which reads their smaps and classifies every mapping. Scrapes within --interval share one read.",
            "Read-only: targets are never paused or changed. Listens on 127.0.0.1 unless told otherwise. As an"
                + " ordinary user it exports the processes that user may read and counts the others as hidden"
                + " (inspector_exporter_processes_skipped{reason=\"access_denied\"}). Runs until Ctrl-C or SIGTERM.",
            "Metrics, cost and queries: docs/exporter.md"})
public final class ExporterCommand extends BaseCommand {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = Listen.DEFAULT,
            description = "Address to serve on (default: ${DEFAULT-VALUE}, this machine only). 0.0.0.0:PORT or"
                + " [::]:PORT serves every interface; port 0 lets the kernel choose (the port is printed).")
    String listen;

    @Option(names = "--pid", paramLabel = "PID", converter = PidConverter.class,
            description = "Export this process (repeatable), with its per-kind series. Each must exist at start.")
    List<Integer> pids = new ArrayList<>();

    @Option(names = "--match", paramLabel = "REGEX",
            description = "Export the processes whose comm or command line (arguments joined by spaces) contains a"
                + " match of this Java regular expression, with their per-kind series. With --pid, either chooses.")
    String match;

    @Option(names = "--user", paramLabel = "USER",
            description = "Export only processes whose real user is USER (a name or a uid).")
    String user;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", defaultValue = "15s",
            description = "Scrapes within this time after a read are served that read (default: ${DEFAULT-VALUE});"
                + " 0s reads at every scrape. A whole number and ms, s, m or h.")
    String interval;

    @Option(names = "--by-kind", paramLabel = "WHEN", defaultValue = "auto",
            completionCandidates = Candidates.Color.class, // the same three words as --color
            description = "Which processes get per-kind series: auto (those chosen by --pid or --match; none when"
                + " every process is exported), always, never (default: ${DEFAULT-VALUE}).")
    String byKind;

    @Option(names = "--residency",
            description = "Add per-kind page residency (present, swapped, untouched) from pagemap to the per-kind"
                + " series: one more pass over each chosen process's page tables per read.")
    boolean residency;

    @Option(names = "--max-series", paramLabel = "N", defaultValue = "10000",
            description = "Cap on per-process series per scrape (default: ${DEFAULT-VALUE}). Past it, processes in pid"
                + " order keep their totals and lose their per-kind series, then are skipped; a warning says so.")
    int maxSeries;

    private String lastWarning;

    @Override
    protected int execute() throws Exception {
        Listen where = option(() -> Listen.parse(listen));
        Duration every = parseInterval(interval);
        Pattern pattern = null;
        if (match != null) {
            try {
                pattern = Pattern.compile(match);
            } catch (PatternSyntaxException e) {
                throw usage("--match: not a regular expression: '" + match + "': " + e.getDescription()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
        }
        Integer uid = user == null ? null : uidOf(user);
        ExportOptions.Breakdown breakdown = switch (byKind.toLowerCase(Locale.ROOT)) {
            case "auto" -> ExportOptions.Breakdown.AUTO;
            case "always" -> ExportOptions.Breakdown.ALWAYS;
            case "never" -> ExportOptions.Breakdown.NEVER;
            default -> throw usage("--by-kind takes auto, always or never; not '" + byKind + "'");
        };
        if (maxSeries < ProcessExporter.TOTAL_SERIES) {
            throw usage("--max-series must be at least " + ProcessExporter.TOTAL_SERIES + " (one process's totals),"
                    + " not " + maxSeries);
        }
        Set<Integer> chosen = new LinkedHashSet<>(pids);
        ExportOptions options = new ExportOptions(chosen, pattern, uid, every, breakdown, residency, maxSeries);
        // A --pid must exist and be readable now: a typo or another user's process is an error at start, not an
        // exporter that silently exports nothing. Later exits are counted as vanished.
        for (int pid : chosen) {
            host().session(pid).summary();
        }
        ProcessExporter exporter = new ProcessExporter(host(), options);
        ExporterServer server = ExporterServer.start(where, exporter, this::warnOnChange);
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            err().println("inspector: exporter stopped");
            err().flush();
        }, "exporter-stop"));
        Collection first = exporter.collectNow();
        started(where, server.port(), first, options);
        warnOnChange(first);
        forever.await();
        return ExitCodes.OK;
    }

    private void started(Listen where, int port, Collection c, ExportOptions o) {
        String host = where.address().getHostAddress();
        String url = "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/metrics";
        err().println("inspector: exporter listening on " + url + ": " + c.health().exported() + " processes, "
                + c.health().brokenDown() + " with per-kind series, " + c.health().series() + " series (cap "
                + o.maxSeries() + "), read at most every " + (o.interval().isZero() ? "scrape"
                : Durations.format(o.interval())) + String.format(Locale.ROOT, "; the first read took %.3fs",
                c.durationNanos() / 1e9));
        if (!where.loopbackOnly()) {
            err().println("inspector: warning: serving on " + where.host() + ", not only this machine: anyone who can"
                    + " reach port " + port + " sees process names and memory figures");
        }
        int hidden = c.health().skipped(SkipReason.ACCESS_DENIED);
        if (hidden > 0) {
            err().println("inspector: " + hidden + (hidden == 1 ? " process is" : " processes are") + " hidden: the"
                    + " kernel refused their memory files, which need ptrace-read access (another user's process, or"
                    + " one that is not dumpable); inspector_exporter_processes_skipped{reason=\"access_denied\"}"
                    + " counts them");
        }
        err().flush();
    }

    /** Prints a collection's warning when it differs from the last one printed (the cap reached, or no longer). */
    private synchronized void warnOnChange(Collection c) {
        String w = c.warning();
        if (w != null && !w.equals(lastWarning)) {
            err().println("inspector: warning: " + w);
            err().flush();
        } else if (w == null && lastWarning != null) {
            err().println("inspector: the earlier warning no longer applies: " + c.health().exported()
                    + " processes, " + c.health().series() + " series");
            err().flush();
        }
        lastWarning = w;
    }

    private Duration parseInterval(String text) {
        if (text.matches("0+(ms|s|m|h)")) {
            return Duration.ZERO;
        }
        return option(() -> Durations.parse("--interval", text));
    }

    /** A uid given as a number or a user name from the passwd file. */
    private int uidOf(String u) {
        if (u.matches("[0-9]{1,10}")) {
            try {
                return Integer.parseUnsignedInt(u);
            } catch (NumberFormatException e) {
                throw usage("--user: not a uid: " + u);
            }
        }
        for (Map.Entry<Integer, String> e : host().users().entrySet()) {
            if (e.getValue().equals(u)) {
                return e.getKey();
            }
        }
        throw usage("--user: no user named '" + dev.inspector.present.Escape.forTerminal(u) + "' in the passwd file");
    }
}
