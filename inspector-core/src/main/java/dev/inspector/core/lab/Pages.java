package dev.inspector.core.lab;

/**
 * Page counts of a range from pagemap, measured at one moment. {@code pages} is the size of the range in pages;
 * {@code present} counts pages with pagemap bit 63 inside mapped parts of the range; {@code exclusive} pages with bit
 * 56 (mapped by this process only); {@code zeroPage} pages backed by the shared zero page, -1 when neither PFNs nor
 * PAGEMAP_SCAN's PFNZERO category are available to us. {@code zeroHow} says how the zero page was recognised (or why
 * it could not be).
 */
public record Pages(long pages, long present, long exclusive, long zeroPage, String zeroHow) {
}
