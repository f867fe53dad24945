package dev.inspector.core.residency;

import dev.inspector.core.model.Region;

import java.util.List;

/**
 * Fills in page residency for the regions of a process (implemented by the pagemap layer). Kept as an interface so
 * the snapshot builder does not depend on the native layer for commands that need no residency.
 */
public interface ResidencySource {
    /**
     * Returns the regions with {@code residency} set (and per-page runs when {@code perPage}); {@code pfn} asks for
     * physical frames (root only). Reads the target's pagemap and never changes the target.
     */
    List<Region> apply(int pid, List<Region> regions, boolean perPage, boolean pfn);
}
