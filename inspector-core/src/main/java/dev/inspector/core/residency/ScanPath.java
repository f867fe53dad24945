package dev.inspector.core.residency;

/** Which kernel interface produced a residency figure; {@link #source()} is the string stored in {@code Residency}. */
public enum ScanPath {
    /** ioctl(PAGEMAP_SCAN) on /proc/PID/pagemap (Linux 6.7+): ranges of pages with equal categories. */
    PAGEMAP_SCAN("PAGEMAP_SCAN"),
    /** Positional 8-byte reads of /proc/PID/pagemap: one entry per page; the only way to get PFNs. */
    PAGEMAP("pagemap");

    private final String source;

    ScanPath(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }
}
