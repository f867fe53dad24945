package dev.inspector.tui;

import dev.inspector.core.model.Mapping;
 
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;

/**
 * The residency of the selected mapping (or of the part in view when zoomed), read off the screen's thread for
 * {@link Effect.LoadDetail} {@code generation}: the heat map, the counts, the scan path and why, and, against a
 * baseline, per cell how many pages changed state since it ({@code changed}, null without a baseline). {@code error}
 * says why there is nothing (pagemap has no entries for [vsyscall], the process is gone ...).
 */
public record Detail(long generation, Mapping mapping, Mapping window, HeatSource heat, MappingResidency residency,
                     String path, String reason, PfnState pfns, long[] changed, String error) {

    public static Detail failed(long generation, Mapping mapping, Mapping window, String error) {
        return new Detail(generation, mapping, window, null, null, null, null, null, null, error);
    }
}
