package dev.inspector.core;

/**
 * Phase timings on standard error when the environment has {@code INSPECTOR_TRACE=1}: how long each step of a command
 * took since the JVM started. For finding where time goes; off (and free) otherwise.
 */
public final class Trace {
    private static final boolean ON = "1".equals(System.getenv("INSPECTOR_TRACE"));
    private static final long START = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();

    private Trace() {
    }

    public static boolean on() {
        return ON;
    }

    public static void mark(String phase) {
        if (ON) {
            System.err.println("[trace] " + (System.currentTimeMillis() - START) + " ms  " + phase);
        }
    }
}
