package dev.inspector.core.procfs.parse;

import java.util.List;

/** {@code /proc/PID/limits}: one row per resource limit, "unlimited" as -1 (RLIM_INFINITY). */
public record Limits(List<Limit> rows) {

    public static final long UNLIMITED = -1;

    /** One row: the kernel's name ("Max stack size"), soft and hard values, units ("bytes", or "" when none). */
    public record Limit(String name, long soft, long hard, String units) {
    }

    public Limits {
        rows = List.copyOf(rows);
    }

    /** The row with this name, or null when the kernel did not list it. */
    public Limit get(String name) {
        for (Limit l : rows) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /** RLIMIT_STACK, which also bounds how far [stack] may grow; null when absent. */
    public Limit stack() {
        return get("Max stack size");
    }
}
