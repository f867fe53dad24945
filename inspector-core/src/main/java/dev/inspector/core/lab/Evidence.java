package dev.inspector.core.lab;

import java.util.List;

/** One measured quantity before and after a step, as text lines (maps lines, counts) ready for a presenter. */
public record Evidence(String label, List<String> before, List<String> after) {

    public Evidence {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }
}
