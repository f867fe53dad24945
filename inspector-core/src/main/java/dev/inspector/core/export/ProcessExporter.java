package dev.inspector.core.export;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.ProcessIdentity;
import dev.inspector.core.model.ProcessSummary;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.Host;
import dev.inspector.core.session.InspectionSession;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The exporter's logic, independent of any metrics library: which processes to read, how much of each (the totals of
 * smaps_rollup, or smaps with every mapping classified for the per-kind breakdown), the cache between scrapes, the
 * series cap, and the names, help and labels of every series. A front end calls {@link #collect()} on each scrape and
 * hands the families to its exposition library.
 *
 * <p>Reading never changes or pauses a target: it reads /proc files (and, with residency, pagemap) like every other
 * command. Thread-safe: scrapes arriving together wait for one collection.
 *
 * <p>Cardinality: every exported process has {@link #TOTAL_SERIES} series; one with the breakdown has
 * {@link #KIND_SERIES} more per kind present in it ({@link #RESIDENCY_SERIES} more with residency). The cap counts
 * these; processes are taken in pid order, totals first for all of them, then the breakdown for as many as fit.
 */
public final class ProcessExporter {

    /** Label names. */
    public static final String PID = "pid";
    public static final String COMM = "comm";
    public static final String KIND = "kind";

    /** Per-process series of a process exported with totals only: the info series and eleven figures. */
    public static final int TOTAL_SERIES = 12;
    /** Per-kind series of one kind present in a process. */
    public static final int KIND_SERIES = 8;
    /** More per kind with residency: present, swapped, untouched. */
    public static final int RESIDENCY_SERIES = 3;

    private final Host host;
    private final ExportOptions options;
    private final LongSupplier nanoClock;
    private Collection last;
    private long lastStart;
    private long collections;

    public ProcessExporter(Host host, ExportOptions options) {
        this(host, options, System::nanoTime);
    }

    ProcessExporter(Host host, ExportOptions options, LongSupplier nanoClock) {
        this.host = host;
        this.options = options;
        this.nanoClock = nanoClock;
    }

    public ExportOptions options() {
        return options;
    }

    /** The last collection when it started less than the interval ago, else a new one. */
    public synchronized Collection collect() {
        long now = nanoClock.getAsLong();
        if (last != null && now - lastStart < options.interval().toNanos()) {
            return last.asCached();
        }
        return collectNow();
    }

    /** A new collection, whatever the interval. */
    public synchronized Collection collectNow() {
        long start = nanoClock.getAsLong();
        Instant takenAt = Instant.now();
        Read read = read();
        collections++;
        long took = nanoClock.getAsLong() - start;
        Collection c = build(read, takenAt, took);
        last = c;
        lastStart = start;
        return c;
    }

    // ---- reading ---------------------------------------------------------------------------------------------------

    /** One process as read: its totals and, with the breakdown, its kinds. */
    private record Row(ProcessIdentity id, long minorFaults, long majorFaults, int threads, Long vmSize, Smaps rollup,
                       int mappings, Map<RegionKind, KindFigures> kinds) {
    }

    private static final class Read {
        final List<Row> rows = new ArrayList<>();
        final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
        int capped;
        int brokenDown;
        int series;
        String unreadable;
        String cap;

        void skip(SkipReason r) {
            skipped.merge(r, 1, Integer::sum);
        }
    }

    private Read read() {
        Read out = new Read();
        boolean onlyPids = !options.pids().isEmpty() && options.match() == null;
        List<Integer> pids = onlyPids ? new ArrayList<>(new java.util.TreeSet<>(options.pids())) : host.pids();

        List<InspectionSession> chosen = new ArrayList<>();
        List<ProcessIdentity> ids = new ArrayList<>();
        for (int pid : pids) {
            InspectionSession s = host.session(pid);
            ProcessIdentity id;
            try {
                id = s.identity();
            } catch (NoSuchProcess | ProcessGone e) {
                if (options.pids().contains(pid)) {
                    out.skip(SkipReason.VANISHED); // asked for by pid: say it is gone; others just left the listing
                }
                continue;
            } catch (AccessDenied e) {
                out.skip(SkipReason.ACCESS_DENIED); // hidepid=: even stat is closed to us
                continue;
            } catch (InspectorException e) {
                unreadable(out, e);
                continue;
            }
            if (!chosen(id)) {
                continue;
            }
            if (id.kernelThread()) {
                out.skip(SkipReason.KERNEL_THREAD);
                continue;
            }
            chosen.add(s);
            ids.add(id);
        }

        int fit = options.maxSeries() / TOTAL_SERIES;
        int budget = options.maxSeries() - TOTAL_SERIES * Math.min(fit, chosen.size());
        boolean breakdownCapped = false;
        for (int i = 0; i < chosen.size(); i++) {
            if (i >= fit) {
                out.skip(SkipReason.SERIES_CAP);
                out.capped++;
                continue;
            }
            InspectionSession s = chosen.get(i);
            try {
                Row row;
                if (options.breaksDown() && !breakdownCapped) {
                    Snapshot snap = s.snapshot(new SnapshotOptions(true, true, false, options.residency()
                            ? SnapshotOptions.Residency.SUMMARY : SnapshotOptions.Residency.NONE, false));
                    Map<RegionKind, KindFigures> kinds = KindFigures.of(snap);
                    int need = kindSeries(kinds);
                    if (need <= budget) {
                        budget -= need;
                        out.brokenDown++;
                        out.series += need;
                    } else {
                        breakdownCapped = true; // the first that does not fit ends the breakdown: stable pid order
                        kinds = null;
                        out.capped++;
                    }
                    var p = snap.process();
                    row = new Row(ids.get(i), p.minorFaults(), p.majorFaults(), p.threadCount(),
                            p.statusMemory().get("VmSize"), snap.rollup(), snap.regions().size(), kinds);
                } else {
                    if (options.breaksDown()) {
                        out.capped++;
                    }
                    ProcessSummary sum = s.summary();
                    row = new Row(sum.identity(), sum.minorFaults(), sum.majorFaults(), sum.threads(),
                            sum.statusMemory().get("VmSize"), sum.rollup(), sum.mappings(), null);
                }
                out.rows.add(row);
                out.series += TOTAL_SERIES;
            } catch (NoSuchProcess | ProcessGone e) {
                out.skip(SkipReason.VANISHED);
            } catch (AccessDenied e) {
                out.skip(SkipReason.ACCESS_DENIED);
            } catch (InspectorException e) {
                unreadable(out, e);
            }
        }
        if (out.capped > 0) {
            int skippedByCap = out.skipped.getOrDefault(SkipReason.SERIES_CAP, 0);
            out.cap = "the series cap (" + options.maxSeries() + ", --max-series) was reached: of " + chosen.size()
                    + " processes, " + out.brokenDown + " have per-kind series, " + (out.capped - skippedByCap)
                    + " only totals and " + skippedByCap + " none (kept in pid order); choose fewer with --pid or"
                    + " --match, or raise --max-series";
        }
        return out;
    }

    /** The per-kind series a breakdown adds: {@link #KIND_SERIES} per kind, residency where pagemap covers it. */
    private int kindSeries(Map<RegionKind, KindFigures> kinds) {
        int n = kinds.size() * KIND_SERIES;
        if (options.residency()) {
            for (KindFigures k : kinds.values()) {
                if (k.present() >= 0) {
                    n += RESIDENCY_SERIES;
                }
            }
        }
        return n;
    }

    private static void unreadable(Read out, InspectorException e) {
        out.skip(SkipReason.UNREADABLE);
        if (out.unreadable == null) {
            out.unreadable = e.getMessage();
        }
    }

    /** --pid or --match (either; every process when neither), then --user. */
    boolean chosen(ProcessIdentity id) {
        boolean picked = !options.chooses() || options.pids().contains(id.pid());
        if (!picked && options.match() != null) {
            picked = options.match().matcher(id.comm()).find()
                    || options.match().matcher(String.join(" ", id.cmdline())).find();
        }
        return picked && (options.uid() == null || options.uid() == id.uid());
    }

    // ---- series ----------------------------------------------------------------------------------------------------

    private Collection build(Read read, Instant takenAt, long took) {
        Map<Integer, String> users = host.users();
        List<MetricFamily> fams = new ArrayList<>();
        List<String> pc = List.of(PID, COMM);
        List<String> pck = List.of(PID, COMM, KIND);

        List<MetricFamily.Sample> info = new ArrayList<>();
        for (Row r : read.rows) {
            String user = users.getOrDefault(r.id.uid(), Integer.toUnsignedString(r.id.uid()));
            info.add(new MetricFamily.Sample(List.of(pid(r), r.id.comm(), user), 1));
        }
        fams.add(new MetricFamily(Names.PROCESS_INFO, "A process being exported; its labels say who it is"
                + " (comm as in /proc/PID/comm, user: the real uid's name).", MetricFamily.Type.INFO, null,
                List.of(PID, COMM, "user"), info));

        fams.add(perProcess(read, Names.PROCESS_SIZE, "Virtual size of the address space (status VmSize).",
                "bytes", r -> r.vmSize == null ? 0 : r.vmSize));
        fams.add(perProcess(read, Names.PROCESS_RSS, "Resident set size: pages mapped and present in RAM"
                + " (smaps_rollup Rss).", "bytes", r -> rollup(r, "Rss")));
        fams.add(perProcess(read, Names.PROCESS_PSS, "Proportional set size: each resident page divided by the"
                + " number of processes mapping it (smaps_rollup Pss).", "bytes", r -> rollup(r, "Pss")));
        fams.add(perProcess(read, Names.PROCESS_SWAP, "Anonymous memory swapped out (smaps_rollup Swap).", "bytes",
                r -> rollup(r, "Swap")));
        fams.add(perProcess(read, Names.PROCESS_PRIVATE, "Resident pages mapped by this process only"
                + " (smaps_rollup Private_Clean + Private_Dirty).", "bytes",
                r -> rollup(r, "Private_Clean") + rollup(r, "Private_Dirty")));
        fams.add(perProcess(read, Names.PROCESS_SHARED, "Resident pages also mapped by other processes"
                + " (smaps_rollup Shared_Clean + Shared_Dirty).", "bytes",
                r -> rollup(r, "Shared_Clean") + rollup(r, "Shared_Dirty")));
        fams.add(perProcess(read, Names.PROCESS_THP, "Memory mapped by PMD-sized transparent huge pages"
                + " (smaps_rollup AnonHugePages + ShmemPmdMapped + FilePmdMapped).", "bytes",
                r -> r.rollup == null ? 0 : KindFigures.thp(r.rollup)));
        fams.add(perProcess(read, Names.PROCESS_MAPPINGS, "Mappings (VMAs): lines of /proc/PID/maps.", null,
                r -> r.mappings));
        fams.add(perProcess(read, Names.PROCESS_THREADS, "Threads (stat num_threads).", null, r -> r.threads));
        MetricFamily minor = perProcess(read, Names.PROCESS_MINOR_FAULTS, "Page faults served without I/O, all"
                + " threads, live and exited (stat minflt).", null, r -> r.minorFaults);
        fams.add(counter(minor));
        MetricFamily major = perProcess(read, Names.PROCESS_MAJOR_FAULTS, "Page faults that read from disk, all"
                + " threads, live and exited (stat majflt).", null, r -> r.majorFaults);
        fams.add(counter(major));

        fams.add(perKind(read, pck, Names.REGION_SIZE, "Virtual size of the mappings of this kind.", "bytes",
                KindFigures::size));
        fams.add(perKind(read, pck, Names.REGION_RSS, "Resident memory of the mappings of this kind (smaps Rss).",
                "bytes", KindFigures::rss));
        fams.add(perKind(read, pck, Names.REGION_PSS, "Proportional set size of the mappings of this kind (smaps"
                + " Pss).", "bytes", KindFigures::pss));
        fams.add(perKind(read, pck, Names.REGION_SWAP, "Swapped-out memory of the mappings of this kind (smaps"
                + " Swap).", "bytes", KindFigures::swap));
        fams.add(perKind(read, pck, Names.REGION_PRIVATE, "Resident pages of this kind mapped by this process only"
                + " (smaps Private_Clean + Private_Dirty).", "bytes", KindFigures::privateBytes));
        fams.add(perKind(read, pck, Names.REGION_SHARED, "Resident pages of this kind also mapped by other processes"
                + " (smaps Shared_Clean + Shared_Dirty).", "bytes", KindFigures::sharedBytes));
        fams.add(perKind(read, pck, Names.REGION_THP, "Memory of this kind mapped by PMD-sized transparent huge"
                + " pages (smaps AnonHugePages + ShmemPmdMapped + FilePmdMapped).", "bytes", KindFigures::thp));
        fams.add(perKind(read, pck, Names.REGION_MAPPINGS, "Mappings (VMAs) of this kind.", null,
                KindFigures::mappings));
        if (options.residency()) {
            fams.add(residency(read));
        }

        fams.addAll(health(read, takenAt, took));
        Collection.Health h = new Collection.Health(read.rows.size(), read.brokenDown, skippedAll(read), read.capped,
                read.series, options.maxSeries(), collections);
        String warning = read.cap;
        if (read.unreadable != null) {
            warning = (warning == null ? "" : warning + "; ") + "a process could not be read: " + read.unreadable;
        }
        return new Collection(takenAt, took, fams, h, warning, false);
    }

    private static String pid(Row r) {
        return Integer.toString(r.id.pid());
    }

    private static long rollup(Row r, String field) {
        return r.rollup == null ? 0 : r.rollup.get(field);
    }

    private interface RowValue {
        long of(Row r);
    }

    private interface KindValue {
        long of(KindFigures k);
    }

    private static MetricFamily perProcess(Read read, String name, String help, String unit, RowValue v) {
        List<MetricFamily.Sample> samples = new ArrayList<>(read.rows.size());
        for (Row r : read.rows) {
            samples.add(new MetricFamily.Sample(List.of(pid(r), r.id.comm()), v.of(r)));
        }
        return new MetricFamily(name, help, MetricFamily.Type.GAUGE, unit, List.of(PID, COMM), samples);
    }

    private static MetricFamily counter(MetricFamily f) {
        return new MetricFamily(f.name(), f.help(), MetricFamily.Type.COUNTER, f.unit(), f.labelNames(), f.samples());
    }

    private static MetricFamily perKind(Read read, List<String> labels, String name, String help, String unit,
                                        KindValue v) {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        for (Row r : read.rows) {
            if (r.kinds == null) {
                continue;
            }
            for (Map.Entry<RegionKind, KindFigures> e : r.kinds.entrySet()) {
                samples.add(new MetricFamily.Sample(List.of(pid(r), r.id.comm(), KindFigures.label(e.getKey())),
                        v.of(e.getValue())));
            }
        }
        return new MetricFamily(name, help, MetricFamily.Type.GAUGE, unit, labels, samples);
    }

    private static MetricFamily residency(Read read) {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        for (Row r : read.rows) {
            if (r.kinds == null) {
                continue;
            }
            for (Map.Entry<RegionKind, KindFigures> e : r.kinds.entrySet()) {
                KindFigures k = e.getValue();
                if (k.present() < 0) {
                    continue; // [vsyscall]: pagemap does not cover it
                }
                String kind = KindFigures.label(e.getKey());
                samples.add(new MetricFamily.Sample(List.of(pid(r), r.id.comm(), kind, "present"), k.present()));
                samples.add(new MetricFamily.Sample(List.of(pid(r), r.id.comm(), kind, "swapped"), k.swapped()));
                samples.add(new MetricFamily.Sample(List.of(pid(r), r.id.comm(), kind, "untouched"), k.untouched()));
            }
        }
        return new MetricFamily(Names.REGION_RESIDENCY, "Pages of the mappings of this kind by state, from pagemap:"
                + " present in RAM, swapped out, or untouched (no page-table entry: never faulted in, or dropped),"
                + " in bytes.", MetricFamily.Type.GAUGE, "bytes", List.of(PID, COMM, KIND, "state"), samples);
    }

    private Map<SkipReason, Integer> skippedAll(Read read) {
        Map<SkipReason, Integer> m = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            m.put(r, read.skipped.getOrDefault(r, 0));
        }
        return m;
    }

    private List<MetricFamily> health(Read read, Instant takenAt, long took) {
        List<MetricFamily> out = new ArrayList<>();
        out.add(single(Names.EXPORTER_DURATION, "How long the last collection took to read the processes.",
                MetricFamily.Type.GAUGE, "seconds", took / 1e9));
        out.add(single(Names.EXPORTER_TIMESTAMP, "When the last collection started (Unix time); scrapes within"
                + " --interval after it are served its figures.", MetricFamily.Type.GAUGE, "seconds",
                takenAt.toEpochMilli() / 1e3));
        out.add(single(Names.EXPORTER_COLLECTIONS, "Collections made (each reads every chosen process once).",
                MetricFamily.Type.COUNTER, null, collections));
        out.add(single(Names.EXPORTER_EXPORTED, "Processes with series in the last collection.",
                MetricFamily.Type.GAUGE, null, read.rows.size()));
        out.add(single(Names.EXPORTER_BROKEN_DOWN, "Processes with per-kind series in the last collection.",
                MetricFamily.Type.GAUGE, null, read.brokenDown));
        List<MetricFamily.Sample> skipped = new ArrayList<>();
        for (Map.Entry<SkipReason, Integer> e : skippedAll(read).entrySet()) {
            skipped.add(new MetricFamily.Sample(List.of(e.getKey().label()), e.getValue()));
        }
        out.add(new MetricFamily(Names.EXPORTER_SKIPPED, "Chosen processes without series in the last collection,"
                + " by reason: access_denied (another user's process: its memory files need ptrace access), vanished,"
                + " kernel_thread (no user memory), series_cap, unreadable.", MetricFamily.Type.GAUGE, null,
                List.of("reason"), skipped));
        out.add(single(Names.EXPORTER_CAPPED, "Processes that got fewer series than asked because of the series cap"
                + " (totals instead of per-kind series, or none).", MetricFamily.Type.GAUGE, null, read.capped));
        out.add(single(Names.EXPORTER_SERIES, "Per-process series in the last collection (the cap counts these).",
                MetricFamily.Type.GAUGE, null, read.series));
        out.add(single(Names.EXPORTER_SERIES_LIMIT, "The series cap (--max-series).", MetricFamily.Type.GAUGE,
                null, options.maxSeries()));
        return out;
    }

    private static MetricFamily single(String name, String help, MetricFamily.Type type, String unit, double v) {
        return new MetricFamily(name, help, type, unit, List.of(), List.of(new MetricFamily.Sample(List.of(), v)));
    }

    /** Every metric name, as queries use them (counters with {@code _total}). */
    public static final class Names {
        public static final String PROCESS_INFO = "inspector_process_info";
        public static final String PROCESS_SIZE = "inspector_process_size_bytes";
        public static final String PROCESS_RSS = "inspector_process_rss_bytes";
        public static final String PROCESS_PSS = "inspector_process_pss_bytes";
        public static final String PROCESS_SWAP = "inspector_process_swap_bytes";
        public static final String PROCESS_PRIVATE = "inspector_process_private_bytes";
        public static final String PROCESS_SHARED = "inspector_process_shared_bytes";
        public static final String PROCESS_THP = "inspector_process_thp_bytes";
        public static final String PROCESS_MAPPINGS = "inspector_process_mappings";
        public static final String PROCESS_THREADS = "inspector_process_threads";
        public static final String PROCESS_MINOR_FAULTS = "inspector_process_minor_faults_total";
        public static final String PROCESS_MAJOR_FAULTS = "inspector_process_major_faults_total";
        public static final String REGION_SIZE = "inspector_region_size_bytes";
        public static final String REGION_RSS = "inspector_region_rss_bytes";
        public static final String REGION_PSS = "inspector_region_pss_bytes";
        public static final String REGION_SWAP = "inspector_region_swap_bytes";
        public static final String REGION_PRIVATE = "inspector_region_private_bytes";
        public static final String REGION_SHARED = "inspector_region_shared_bytes";
        public static final String REGION_THP = "inspector_region_thp_bytes";
        public static final String REGION_MAPPINGS = "inspector_region_mappings";
        public static final String REGION_RESIDENCY = "inspector_region_residency_bytes";
        public static final String EXPORTER_DURATION = "inspector_exporter_collection_duration_seconds";
        public static final String EXPORTER_TIMESTAMP = "inspector_exporter_collection_timestamp_seconds";
        public static final String EXPORTER_COLLECTIONS = "inspector_exporter_collections_total";
        public static final String EXPORTER_EXPORTED = "inspector_exporter_processes_exported";
        public static final String EXPORTER_BROKEN_DOWN = "inspector_exporter_processes_broken_down";
        public static final String EXPORTER_SKIPPED = "inspector_exporter_processes_skipped";
        public static final String EXPORTER_CAPPED = "inspector_exporter_processes_capped";
        public static final String EXPORTER_SERIES = "inspector_exporter_series";
        public static final String EXPORTER_SERIES_LIMIT = "inspector_exporter_series_limit";

        private Names() {
        }
    }
}
