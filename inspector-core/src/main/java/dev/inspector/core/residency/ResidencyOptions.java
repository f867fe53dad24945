package dev.inspector.core.residency;

/**
 * What a residency scan should collect. {@code runs}: keep per-page run-length runs (memory grows with the number of
 * runs; off for a summary of huge mappings). {@code pfns}: frame numbers and physical runs (forces pagemap reads).
 * {@code kpageflags}: per-frame flags and map counts from /proc/kpageflags and /proc/kpagecount (root; forces pagemap
 * reads and costs one read per physically contiguous run). {@code force}: a path to use, or null to choose.
 */
public record ResidencyOptions(boolean runs, boolean pfns, boolean kpageflags, ScanPath force) {

    /** Counts and runs, fastest path. */
    public static ResidencyOptions defaults() {
        return new ResidencyOptions(true, false, false, null);
    }

    /** Counts only. */
    public static ResidencyOptions summary() {
        return new ResidencyOptions(false, false, false, null);
    }

    public ResidencyOptions withRuns(boolean on) {
        return new ResidencyOptions(on, pfns, kpageflags, force);
    }

    public ResidencyOptions withPfns(boolean on) {
        return new ResidencyOptions(runs, on, kpageflags, force);
    }

    public ResidencyOptions withKpageflags(boolean on) {
        return new ResidencyOptions(runs, pfns || on, on, force);
    }

    public ResidencyOptions forcing(ScanPath path) {
        return new ResidencyOptions(runs, pfns, kpageflags, path);
    }
}
