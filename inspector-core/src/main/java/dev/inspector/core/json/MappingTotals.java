package dev.inspector.core.json;

/**
 * The totals line under a table of mappings ({@code inspector maps}), as its JSON carries them in {@code totals}: how
 * many mappings were shown and their summed size, and their RSS, PSS, swap and AnonHugePages (null when smaps was not
 * read). {@code source} says where the figures come from: "smaps_rollup" (the kernel's own sums, when every mapping
 * is shown) or "sum of shown" (the mappings a filter kept).
 */
public record MappingTotals(String source, int mappings, long size, Long rss, Long pss, Long swap,
                            Long anonHugePages) {

    public static final String ROLLUP = "smaps_rollup";
    public static final String SUM_OF_SHOWN = "sum of shown";
}
