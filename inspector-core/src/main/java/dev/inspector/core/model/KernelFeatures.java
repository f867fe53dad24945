package dev.inspector.core.model;


import java.util.List;

/**
 * What this kernel and our privileges allow, as probed once per process by the inspection host
 * (the session package's KernelProbe) on the inspector's OWN process, never a target: each feature with a
 * one-line reason saying which path will be used and why. A value: tests and fixture trees build their own.
 */
public final class KernelFeatures {

    /** One probed feature: whether it works, and a line saying why or why not. */
    public record Feature(boolean available, String reason) {
        @Override
        public String toString() {
            return (available ? "yes" : "no") + ": " + reason;
        }
    }

    private final Feature pagemapScan;
    private final Feature procmapQuery;
    private final Feature softDirty;
    private final Feature kpageflags;
    private final Feature pfnsVisible;
    private final Feature anonVmaName;
    private final Feature zeroPage;
    private final boolean noZeroPage;
    private final long zeroPfn;

    /**
     * {@code noZeroPage}: the probe saw that reads do not map a shared zero page (so no page is ever on it), as opposed
     * to {@code zeroPage} being unavailable because it could not be observed.
     */
    public KernelFeatures(Feature pagemapScan, Feature procmapQuery, Feature softDirty, Feature kpageflags,
                          Feature pfnsVisible, Feature anonVmaName, Feature zeroPage, boolean noZeroPage,
                          long zeroPfn) {
        this.pagemapScan = pagemapScan;
        this.procmapQuery = procmapQuery;
        this.softDirty = softDirty;
        this.kpageflags = kpageflags;
        this.pfnsVisible = pfnsVisible;
        this.anonVmaName = anonVmaName;
        this.zeroPage = zeroPage;
        this.noZeroPage = noZeroPage;
        this.zeroPfn = zeroPfn;
    }

    public Feature pagemapScan() {
        return pagemapScan;
    }

    public Feature procmapQuery() {
        return procmapQuery;
    }

    public Feature softDirty() {
        return softDirty;
    }

    public Feature kpageflags() {
        return kpageflags;
    }

    public Feature pfnsVisible() {
        return pfnsVisible;
    }

    public Feature anonVmaName() {
        return anonVmaName;
    }

    /**
     * Whether a read of untouched private anonymous memory maps the one shared zero page (the usual Linux behaviour),
     * decided from two pages of our own that we read but never wrote: one shared frame (same PFN; or, with PFNs hidden,
     * neither page mapped exclusively) means yes. Some kernels allocate a frame per page instead (a paravirtualised
     * guest booted with {@code pvm_no_zero_page=1}, for example); then there is no zero page to count.
     */
    public Feature zeroPage() {
        return zeroPage;
    }

    /** True when the probe saw reads of untouched private memory get frames of their own: no page is on a zero page. */
    public boolean noZeroPage() {
        return noZeroPage;
    }

    /**
     * The PFN of the shared zero page, learned from the pages of {@link #zeroPage()}; -1 when PFNs are hidden from us
     * (then zero-page detection through pagemap is unavailable) or when this kernel maps no zero page.
     */
    public long zeroPfn() {
        return zeroPfn;
    }

    /** Every feature unavailable for one reason: a fixture tree, where no ioctl or privilege can be probed. */
    public static KernelFeatures none(String reason) {
        Feature no = new Feature(false, reason);
        return new KernelFeatures(no, no, no, no, no, no, no, false, -1);
    }

    public HostInfo.Features toModel() {
        return new HostInfo.Features(pagemapScan.available, procmapQuery.available, softDirty.available,
                kpageflags.available, pfnsVisible.available, anonVmaName.available);
    }

    /** One line per feature, for output. */
    public List<String> describe() {
        return List.of("PAGEMAP_SCAN: " + pagemapScan, "PROCMAP_QUERY: " + procmapQuery, "soft-dirty: " + softDirty,
                "kpageflags: " + kpageflags, "PFNs: " + pfnsVisible, "anon VMA names: " + anonVmaName,
                "zero page: " + zeroPage, "zero page PFN: " + (zeroPfn < 0 ? "unknown (PFNs hidden)" : "0x" + Long.toHexString(zeroPfn)));
    }
}
