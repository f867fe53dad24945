package dev.inspector.cli.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Repeated timing with medians. The machines are noisy, so benchmarks interleave the measured variants round by round
 * (A, B, A, B, ...) and compare medians taken in the same run, never against numbers from another run.
 */
public final class Timing {

    /** One measured task. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /** Samples of one variant, in nanoseconds. */
    public static final class Samples {
        final String name;
        final long[] ns;
        int n;

        public Samples(String name, int capacity) {
            this.name = name;
            this.ns = new long[capacity];
        }

        public String name() {
            return name;
        }

        /** Records a time measured elsewhere (e.g. the elapsed_ns a C reference reader prints for its own scan). */
        public void add(long nanos) {
            ns[n++] = nanos;
        }

        public long median() {
            long[] s = Arrays.copyOf(ns, n);
            Arrays.sort(s);
            return n == 0 ? 0 : (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2);
        }

        public long min() {
            return Arrays.stream(ns, 0, n).min().orElse(0);
        }

        public long max() {
            return Arrays.stream(ns, 0, n).max().orElse(0);
        }

        public int count() {
            return n;
        }
    }

    private Timing() {
    }

    /**
     * Runs every task {@code warmup} times, then {@code rounds} rounds in which each task runs once, in order.
     */
    public static Samples[] interleaved(int warmup, int rounds, String[] names, Task... tasks) throws Exception {
        for (int w = 0; w < warmup; w++) {
            for (Task t : tasks) {
                t.run();
            }
        }
        Samples[] out = new Samples[tasks.length];
        for (int i = 0; i < tasks.length; i++) {
            out[i] = new Samples(names[i], rounds);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < tasks.length; i++) {
                long t0 = System.nanoTime();
                tasks[i].run();
                out[i].ns[out[i].n++] = System.nanoTime() - t0;
            }
        }
        return out;
    }

    /** Milliseconds, with microseconds shown below 1 ms (single lookups take tens of them). */
    public static String ms(long ns) {
        return String.format(Locale.ROOT, ns < 1_000_000 ? "%.3f ms" : "%.2f ms", ns / 1e6);
    }

    public static String ratio(long a, long b) {
        return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (double) a / b);
    }

    /** A line "name: median X (min Y, max Z, n runs)". */
    public static String describe(Samples s) {
        return String.format(Locale.ROOT, "%-34s median %10s   min %10s   max %10s   (%d runs)",
                s.name, ms(s.median()), ms(s.min()), ms(s.max()), s.n);
    }
}
