package dev.inspector.core;

/**
 * Phase timings on standard error when the environment has {@code INSPECTOR_TRACE=1}: how long each step of a command
 * took since the JVM started. For finding where time goes; off (and free) otherwise.
 */
public final class Trace {
    private static final boolean ON = "1".equals(System.getenv("INSPECTOR_TRACE"));
    // JMX is loaded only when tracing: it costs start-up time every run would pay otherwise.
    private static final long START = ON ? java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

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
