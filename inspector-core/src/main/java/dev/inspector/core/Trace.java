package dev.inspector.core;

import java.util.function.Consumer;

/**
 * Phase timings, for finding where a command's time goes: each {@link #mark} passes "N ms  phase" (N since the JVM
 * started) to the sink a front end installed with {@link #to}; with no sink it costs one volatile read. Core never
 * prints: the command line installs standard error when {@code INSPECTOR_TRACE=1}; a full-screen UI would install a
 * file or nothing.
 */
public final class Trace {
    private static volatile Consumer<String> sink;
    private static volatile long start;

    private Trace() {
    }

    /** Sends marks to {@code to} from now on (null: stop tracing). */
    public static void to(Consumer<String> to) {
        if (to != null && start == 0) {
            // JMX is loaded only when tracing: it costs start-up time every run would pay otherwise.
            start = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        }
        sink = to;
    }

    public static boolean on() {
        return sink != null;
    }

    public static void mark(String phase) {
        Consumer<String> s = sink;
        if (s != null) {
            s.accept((System.currentTimeMillis() - start) + " ms  " + phase);
        }
    }
}
