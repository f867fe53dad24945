package dev.inspector.core.model;

/**
 * Page residency of one virtual range, counted in pages of the host's base page size. Categories overlap the way the
 * kernel's do: a present page may also be huge, file-backed and exclusive; {@code untouched} pages have no pagemap
 * entry at all (never faulted in, or dropped). {@code source} says which scanner produced the figures
 * ({@code PAGEMAP_SCAN} or {@code pagemap}). {@code zeroPage}, {@code huge}, {@code exclusive} and {@code softDirty}
 * are -1 when that scan path cannot observe them (null in the JSON).
 */
public record Residency(long pages, long present, long swapped, long untouched, long zeroPage, long huge, long file,
                        long exclusive, long softDirty, String source) {
}
