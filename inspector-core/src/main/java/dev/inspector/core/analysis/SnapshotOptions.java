package dev.inspector.core.analysis;

/**
 * What a snapshot reads. smaps costs most on big processes; residency needs the pagemap layer; {@code kernel} adds the
 * kernel-half layout; {@code pfn} asks for physical frames in the page runs (root only).
 */
public record SnapshotOptions(boolean smaps, boolean threads, boolean kernel, Residency residency, boolean pfn) {

    /** How much of page residency to read: none, a summary per mapping, or every page run-length encoded. */
    public enum Residency { NONE, SUMMARY, PAGES }

    /** What {@code inspector maps} shows: mappings, smaps figures and threads. */
    public static SnapshotOptions maps() {
        return new SnapshotOptions(true, true, false, Residency.NONE, false);
    }

    /** Everything a snapshot document holds, with a residency summary per mapping. */
    public static SnapshotOptions full() {
        return new SnapshotOptions(true, true, true, Residency.SUMMARY, false);
    }

    /** The same with every page's state ({@code pfn}: and its frame). */
    public static SnapshotOptions fullWithPages(boolean pfn) {
        return new SnapshotOptions(true, true, true, Residency.PAGES, pfn);
    }

    public SnapshotOptions withSmaps(boolean on) {
        return new SnapshotOptions(on, threads, kernel, residency, pfn);
    }
}
