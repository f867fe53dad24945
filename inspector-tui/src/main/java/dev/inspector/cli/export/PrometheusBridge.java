package dev.inspector.cli.export;

import dev.inspector.core.export.Collection;
import dev.inspector.core.export.MetricFamily;
import dev.inspector.core.export.ProcessExporter;
import dev.inspector.present.Escape;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands the exporter's collections to the Prometheus client: on each scrape, {@link ProcessExporter#collect()} (the
 * cached collection within the interval) becomes the client's metric snapshots, which it writes in the format the
 * scraper asked for (Prometheus text, OpenMetrics, protobuf). The client escapes label values for the format
 * (backslash, double quote, newline); before that, names read from processes (comm, user) are made terminal-safe the
 * way every view of the inspector shows them ({@link Escape#forTerminal}: control characters as {@code \xNN}, a
 * backslash doubled), so no raw escape sequence reaches whoever reads /metrics in a terminal.
 */
public final class PrometheusBridge implements MultiCollector {

    private final ProcessExporter exporter;
    private final Counter scrapes;
    private final Consumer<Collection> onCollection;

    /**
     * Registers the bridge and its scrape counter in {@code registry}; {@code onCollection} sees every collection
     * served (the command prints a changed warning once).
     */
    public PrometheusBridge(ProcessExporter exporter, PrometheusRegistry registry, Consumer<Collection> onCollection) {
        this.exporter = exporter;
        this.onCollection = onCollection;
        this.scrapes = Counter.builder().name("inspector_exporter_scrapes_total")
                .help("Scrapes served, by whether they read the processes (fresh) or reused the collection of the"
                        + " interval (cached).")
                .labelNames("served").withoutExemplars().build();
        scrapes.labelValues("fresh");
        scrapes.labelValues("cached");
        // Served by the bridge itself, not registered: the registry collects plain collectors before multi-collectors,
        // and a scrape's count should include that scrape.
        registry.register(this);
    }

    @Override
    public MetricSnapshots collect() {
        Collection c = exporter.collect();
        scrapes.labelValues(c.cached() ? "cached" : "fresh").inc();
        onCollection.accept(c);
        MetricSnapshots own = snapshots(c);
        List<MetricSnapshot> all = new ArrayList<>(own.size() + 1);
        own.forEach(all::add);
        all.add(scrapes.collect());
        return new MetricSnapshots(all);
    }

    /** The client's snapshots of a collection; families without samples are left out, as the client does. */
    public static MetricSnapshots snapshots(Collection c) {
        List<MetricSnapshot> out = new ArrayList<>(c.families().size());
        for (MetricFamily f : c.families()) {
            if (!f.samples().isEmpty()) {
                out.add(snapshot(f));
            }
        }
        return new MetricSnapshots(out);
    }

    static MetricSnapshot snapshot(MetricFamily f) {
        String[] names = f.labelNames().toArray(new String[0]);
        Unit unit = f.unit() == null ? null : new Unit(f.unit());
        switch (f.type()) {
            case COUNTER: {
                // The client adds _total itself: its model names a counter without the suffix.
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(strip(f.name(), "_total")).help(f.help())
                        .unit(unit);
                for (MetricFamily.Sample s : f.samples()) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.value())
                            .labels(labels(names, s)).build());
                }
                return b.build();
            }
            case INFO: {
                InfoSnapshot.Builder b = InfoSnapshot.builder().name(strip(f.name(), "_info")).help(f.help());
                for (MetricFamily.Sample s : f.samples()) {
                    b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels(names, s)).build());
                }
                return b.build();
            }
            default: {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name()).help(f.help()).unit(unit);
                for (MetricFamily.Sample s : f.samples()) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(s.value())
                            .labels(labels(names, s)).build());
                }
                return b.build();
            }
        }
    }

    private static Labels labels(String[] names, MetricFamily.Sample s) {
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = Escape.forTerminal(s.labelValues().get(i));
        }
        return Labels.of(names, values);
    }

    private static String strip(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }
}
