package dev.inspector.core.diff;

/**
 * How {@link SnapshotDiff} pairs the mappings of two snapshots. {@link Match#ADDRESS} (the default) pairs mappings that
 * overlap and are the same object (same file at the same file offset per address, or the same kind of anonymous
 * memory): right for two points of one process. {@link Match#MODULE} pairs them by owner: file-backed mappings by
 * owner path and file offset (relative to the module's load base), others by kind and ordinal; right for two runs of one
 * program under ASLR, where every base moved.
 */
public record DiffOptions(Match match) {

    public enum Match {
        ADDRESS,
        MODULE
    }

    public DiffOptions {
        if (match == null) {
            throw new NullPointerException("match");
        }
    }

    public static DiffOptions byAddress() {
        return new DiffOptions(Match.ADDRESS);
    }

    public static DiffOptions byModule() {
        return new DiffOptions(Match.MODULE);
    }
}
