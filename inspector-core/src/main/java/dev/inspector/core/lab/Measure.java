package dev.inspector.core.lab;

/**
 * The measurements a step is about, in the order a view shows them before and after the step: the maps lines of the
 * range, its pagemap counts, its smaps Rss, the lab thread's minor faults, brk(0), the [heap] line and start_brk. The
 * values themselves are in the step's {@link Observation}s.
 */
public enum Measure {
    MAPS, PAGES, RSS, MINFLT, BRK, HEAP, START_BRK
}
