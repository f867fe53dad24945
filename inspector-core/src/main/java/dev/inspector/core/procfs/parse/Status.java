package dev.inspector.core.procfs.parse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /proc/PID/status}. {@code name} is the Name line as the kernel wrote it (it escapes control characters and
 * backslashes). {@code memory} holds every "N kB" line (VmPeak, VmSize, VmRSS, RssAnon, RssFile, RssShmem,
 * VmSwap, HugetlbPages ...) converted to bytes, in kernel order; kernel threads have none. {@code other} keeps every
 * remaining line as raw text (State, Tgid, CapEff, Seccomp, NSpid, Cpus_allowed ...).
 */
public record Status(String name, String state, int tgid, int pid, int ppid, Ids uid, Ids gid, int threads,
                     Map<String, Long> memory, Map<String, String> other) {

    /** The four ids of a Uid: or Gid: line. */
    public record Ids(int real, int effective, int savedSet, int filesystem) {
    }

    public Status {
        memory = Collections.unmodifiableMap(new LinkedHashMap<>(memory));
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /** A memory line in bytes, or null when the kernel did not write it (kernel threads, older kernels). */
    public Long memoryBytes(String key) {
        return memory.get(key);
    }

    /** The effective capability set (CapEff, hex), or -1 when the line is absent. */
    public long capEff() {
        String v = other.get("CapEff");
        return v == null ? -1 : Long.parseUnsignedLong(v, 16);
    }
}
