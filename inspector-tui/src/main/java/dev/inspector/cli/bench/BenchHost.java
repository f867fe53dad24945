package dev.inspector.cli.bench;

import dev.inspector.core.bench.BenchProbes;

import java.lang.management.ManagementFactory;

/**
 * Facts about the machine and this JVM that every benchmark prints with its figures, so a reader can tell how they
 * were obtained: kernel, CPUs, load (the machines are shared), the JIT configuration, and our own peak RSS
 * (read by {@link BenchProbes}).
 */
public final class BenchHost {

    private BenchHost() {
    }

    /** e.g. "Linux 6.18.0, 2 CPUs (AMD EPYC ...), load 1.20 0.80 0.50, OpenJDK 17.0.9, JIT C1+C2 (tiered)". */
    public static String describe(BenchProbes probes) {
        return probes.machine() + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", JIT " + jit();
    }

    /**
     * The JIT configuration. The launcher runs with {@code -XX:TieredStopAtLevel=1} (C1 only: fast start-up, slower
     * steady state); benchmarks say so, because hot loops run slower without C2.
     */
    public static String jit() {
        String level = vmOption("TieredStopAtLevel");
        String tiered = vmOption("TieredCompilation");
        if ("false".equals(tiered)) {
            return "C2 only (-XX:-TieredCompilation)";
        }
        if (level != null && !level.equals("4")) {
            return (level.equals("0") ? "interpreter only" : "C1 only") + " (-XX:TieredStopAtLevel=" + level + ")";
        }
        return "C1+C2 (tiered)";
    }

    private static String vmOption(String name) {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hs == null ? null : hs.getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return null; // not HotSpot: the JIT line then says what the default is
        }
    }
}
