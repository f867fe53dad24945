package dev.inspector.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Facts about the machine and this JVM that every benchmark prints with its figures, so a reader can tell how they
 * were obtained: kernel, CPUs, load (the machines are shared), the JIT configuration, and our own peak RSS.
 */
public final class BenchHost {

    private BenchHost() {
    }

    /** e.g. "Linux 6.18.0, 2 CPUs (AMD EPYC ...), load 1.20 0.80 0.50, OpenJDK 17.0.9, JIT C1+C2 (tiered)". */
    public static String describe() {
        String kernel = firstLine(Paths.get("/proc/sys/kernel/osrelease"), "?");
        String load = firstLine(Paths.get("/proc/loadavg"), "? ? ?");
        String[] l = load.split(" ");
        String loads = l.length >= 3 ? l[0] + " " + l[1] + " " + l[2] : load;
        return "Linux " + kernel + ", " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel()
                + "), load " + loads + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", JIT " + jit();
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

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8);
            for (String s : lines) {
                if (s.startsWith("model name")) {
                    return s.substring(s.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // reported as unknown
        }
        return "model unknown";
    }

    private static String firstLine(Path p, String fallback) {
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            return lines.isEmpty() ? fallback : lines.get(0).trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    /**
     * Resets this process's peak RSS (VmHWM) by writing 5 to /proc/self/clear_refs (Linux 4.0+). Only our own
     * process is changed. Returns false when the kernel refused; VmHWM then covers the whole run.
     */
    public static boolean resetPeakRss() {
        try {
            Files.write(Paths.get("/proc/self/clear_refs"), "5".getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A {@code kB} field of /proc/self/status (VmHWM, VmRSS) in bytes, or -1 when absent. */
    public static long selfStatusBytes(String field) {
        try {
            return statusField(Files.readString(Paths.get("/proc/self/status"), StandardCharsets.UTF_8), field);
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@code field: N kB} of a status text in bytes, or -1 when absent. */
    static long statusField(String status, String field) {
        String prefix = field + ":";
        for (String line : status.split("\n")) {
            if (line.startsWith(prefix)) {
                String v = line.substring(prefix.length()).trim();
                if (v.endsWith(" kB")) {
                    return Long.parseLong(v.substring(0, v.length() - 3).trim()) * 1024;
                }
            }
        }
        return -1;
    }
}
