package dev.inspector.core.procfs.parse;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Smaps;

/** One record of {@code /proc/PID/smaps}: the mapping from its address line and the figures that follow it. */
public record SmapsRecord(Mapping mapping, Smaps smaps) {
}
