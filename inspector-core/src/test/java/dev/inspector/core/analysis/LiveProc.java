package dev.inspector.core.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Minimal test-only reads of a live process (the procfs readers proper are built elsewhere): thread stack pointers
 * from task/TID/syscall, stat fields, the page size and the exe link.
 */
final class LiveProc {

    private LiveProc() {
    }

    /**
     * tid → SP for every thread that is blocked or stopped. task/TID/syscall reads "running" for a running thread,
     * otherwise "NR a1..a6 SP PC" (or "-1 SP PC" when blocked outside a syscall): SP is the second-to-last field.
     */
    static Map<Integer, Long> stackPointers(int pid) throws IOException {
        Map<Integer, Long> out = new HashMap<>();
        List<Path> tasks;
        try (Stream<Path> s = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
            tasks = s.toList();
        }
        for (Path t : tasks) {
            String text;
            try {
                text = Files.readString(t.resolve("syscall"), StandardCharsets.US_ASCII).trim();
            } catch (NoSuchFileException e) {
                continue; // the thread exited
            }
            String[] f = text.split(" ");
            if (f.length < 3 || f[0].equals("running")) {
                continue;
            }
            out.put(Integer.parseInt(t.getFileName().toString()), Long.parseUnsignedLong(f[f.length - 2].substring(2), 16));
        }
        return out;
    }

    /** Field {@code n} (1-based, as in proc(5)) of /proc/PID/stat; the comm field may hold spaces and parentheses. */
    static long statField(int pid, int n) throws IOException {
        String s = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.UTF_8);
        String[] rest = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseUnsignedLong(rest[n - 3]);
    }

    static long startBrk(int pid) throws IOException {
        return statField(pid, 47);
    }

    static long startStack(int pid) throws IOException {
        return statField(pid, 28);
    }

    /** The base page size, from the first KernelPageSize line of smaps (the kernel's "kB" is KiB). */
    static int pageSize(int pid) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Integer.toString(pid), "smaps"))) {
            String l = lines.filter(x -> x.startsWith("MMUPageSize:")).findFirst().orElseThrow();
            return Integer.parseInt(l.replaceAll("[^0-9]", "")) * 1024;
        }
    }

    static String exe(int pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
    }
}
