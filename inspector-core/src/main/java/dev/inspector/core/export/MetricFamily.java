package dev.inspector.core.export;

import java.util.List;

/**
 * One metric as an exposition format shows it: a name (the full name a query uses, {@code _total} included for a
 * counter), its help line, its type, its unit (null when it has none), the names of its labels and one sample per
 * combination of label values. Neutral about the format: the front end hands it to a Prometheus client.
 */
public record MetricFamily(String name, String help, Type type, String unit, List<String> labelNames,
                           List<Sample> samples) {

    /** The metric types the exporter uses. INFO is a gauge of value 1 whose labels carry the facts. */
    public enum Type { GAUGE, COUNTER, INFO }

    /** One series: label values in the order of {@link #labelNames}, and the value. */
    public record Sample(List<String> labelValues, double value) {
        public Sample {
            labelValues = List.copyOf(labelValues);
        }
    }

    public MetricFamily {
        labelNames = List.copyOf(labelNames);
        samples = List.copyOf(samples);
        for (Sample s : samples) {
            if (s.labelValues().size() != labelNames.size()) {
                throw new IllegalArgumentException(name + ": " + s.labelValues().size() + " label values for "
                        + labelNames);
            }
        }
    }

    /** The sample with these label values, or null. */
    public Sample sample(String... labelValues) {
        List<String> want = List.of(labelValues);
        for (Sample s : samples) {
            if (s.labelValues().equals(want)) {
                return s;
            }
        }
        return null;
    }
}
