package dev.inspector.core.export;

/** Why a chosen process has no series in a collection: the values of the {@code reason} label. */
public enum SkipReason {
    /** Its memory files (smaps_rollup, maps, smaps) need ptrace-read access this user does not have. */
    ACCESS_DENIED("access_denied"),
    /** It exited (or its PID was reused) between the listing and the read. */
    VANISHED("vanished"),
    /** A kernel thread: no user address space, nothing to export. */
    KERNEL_THREAD("kernel_thread"),
    /** Its series would pass the cap ({@code --max-series}). */
    SERIES_CAP("series_cap"),
    /** The kernel's text could not be read as expected (malformed or torn twice); the warning names the file. */
    UNREADABLE("unreadable");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
