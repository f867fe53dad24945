package dev.inspector.cli;

import java.time.Duration;

/**
 * Parses the durations of {@code --after} and {@code --interval}: a whole number and a unit, {@code ms}, {@code s},
 * {@code m} or {@code h} ({@code 500ms}, {@code 2s}, {@code 1m}). Strict: no bare numbers (is "5" seconds or
 * milliseconds?), no fractions, no spaces, no zero.
 */
public final class Durations {

    /** Longer than anyone watches a process; also keeps the arithmetic far from overflow. */
    static final Duration MAX = Duration.ofDays(7);

    private Durations() {
    }

    /** The duration, or an IllegalArgumentException whose message names the option and the accepted forms. */
    public static Duration parse(String option, String text) {
        int i = 0;
        int n = text.length();
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        String unit = text.substring(i);
        if (i == 0 || i > 12) {
            throw bad(option, text);
        }
        long v = Long.parseLong(text.substring(0, i));
        Duration d;
        switch (unit.toLowerCase(java.util.Locale.ROOT)) {
            case "ms":
                d = Duration.ofMillis(v);
                break;
            case "s":
                d = Duration.ofSeconds(v);
                break;
            case "m":
                d = Duration.ofMinutes(v);
                break;
            case "h":
                d = Duration.ofHours(v);
                break;
            default:
                throw bad(option, text);
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(option + " must be longer than 0, not '" + text + "'");
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(option + " must be at most 7 days, not '" + text + "'");
        }
        return d;
    }

    /** "500ms", "2s", "1.5s" for a short human reading of an elapsed time. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 1000 == 0) {
            return (ms / 1000) + "s";
        }
        return String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0);
    }

    private static IllegalArgumentException bad(String option, String text) {
        return new IllegalArgumentException(option + " takes a whole number and a unit (ms, s, m or h), e.g. 500ms, "
                + "2s, 1m; not '" + text + "'");
    }
}
