package dev.inspector.core.sys;

import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.procfs.parse.PagemapEntry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * What this kernel and our privileges allow, probed once per JVM on our OWN process (never a target): each feature
 * with a one-line reason saying which path will be used and why. The probes map two private pages, touch them and
 * unmap them again; the soft-dirty probe writes {@code 4} to {@code /proc/self/clear_refs}, which only changes our
 * own process.
 */
public final class KernelFeatures {

    /** One probed feature: whether it works, and a line saying why or why not. */
    public record Feature(boolean available, String reason) {
        @Override
        public String toString() {
            return (available ? "yes" : "no") + ": " + reason;
        }
    }

    private static volatile KernelFeatures detected;

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

    /** Probes once and caches the result for the life of the JVM. */
    public static KernelFeatures detect() {
        KernelFeatures k = detected;
        if (k == null) {
            synchronized (KernelFeatures.class) {
                k = detected;
                if (k == null) {
                    k = probe();
                    detected = k;
                }
            }
        }
        return k;
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

    private static KernelFeatures probe() {
        int ps = Sys.pageSize();
        // Three private pages: page 0 written, pages 1 and 2 only read (each maps the shared zero page, if the kernel
        // uses one: then both show the same frame).
        long base = Sys.mmap(3L * ps, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.poke(base, (byte) 1);
            Sys.peek(base + ps);
            Sys.peek(base + 2L * ps);
            Path self = Paths.get("/proc/self/pagemap");
            long written;
            long read1;
            long read2;
            try {
                written = readEntry(self, base);
                read1 = readEntry(self, base + ps);
                read2 = readEntry(self, base + 2L * ps);
            } catch (IOException e) {
                written = 0;
                read1 = 0;
                read2 = 0;
            }
            Feature pfns;
            if (!PagemapEntry.isPresent(written)) {
                pfns = new Feature(false, "cannot read our own page in /proc/self/pagemap");
            } else if ((written & PagemapEntry.PFN_MASK) != 0) {
                pfns = new Feature(true, "pagemap shows frame numbers to us (CAP_SYS_ADMIN): PFNs, physical runs and "
                        + "zero-page detection come from pagemap reads");
            } else {
                pfns = new Feature(false, "pagemap shows PFN 0 to readers without CAP_SYS_ADMIN (Linux 4.2+, a "
                        + "Rowhammer mitigation): PFNs are hidden, run as root to see them");
            }
            Feature scan = probeScan(base, ps);
            Feature zero = probeZeroPage(read1, read2, pfns.available, scan.available ? base + ps : 0);
            long zeroPfn = zero.available && pfns.available ? read1 & PagemapEntry.PFN_MASK : -1;
            Feature kpf = probeKpageflags(pfns.available ? written & PagemapEntry.PFN_MASK : 0);
            Feature query = probeQuery(base);
            Feature soft = probeSoftDirty(ps);
            Feature names = probeAnonName(base, ps);
            boolean none = !zero.available && PagemapEntry.isPresent(read1) && PagemapEntry.isPresent(read2);
            return new KernelFeatures(scan, query, soft, kpf, pfns, names, zero, none, zeroPfn);
        } finally {
            Sys.munmap(base, 3L * ps);
        }
    }

    /**
     * Decides whether reads map the shared zero page, from the pagemap entries of two pages we only read: with PFNs,
     * the same frame for both; without, neither is mapped exclusively (bit 56: the zero page is nobody's own frame),
     * confirmed by PAGEMAP_SCAN's PFNZERO category where the kernel has it ({@code scanAddr} != 0).
     */
    private static Feature probeZeroPage(long read1, long read2, boolean pfnsVisible, long scanAddr) {
        if (!PagemapEntry.isPresent(read1) || !PagemapEntry.isPresent(read2)) {
            return new Feature(false, "a page we read was not present in /proc/self/pagemap afterwards");
        }
        long pfn1 = read1 & PagemapEntry.PFN_MASK;
        long pfn2 = read2 & PagemapEntry.PFN_MASK;
        boolean excl = (read1 & (1L << PagemapEntry.BIT_EXCLUSIVE)) != 0 || (read2 & (1L << PagemapEntry.BIT_EXCLUSIVE)) != 0;
        if (pfnsVisible) {
            if (pfn1 == pfn2) {
                return new Feature(true, "two pages we only read share one frame, PFN 0x" + Long.toHexString(pfn1)
                        + ": reads of untouched private memory map the shared zero page");
            }
            return new Feature(false, "two pages we only read got frames of their own (PFN 0x" + Long.toHexString(pfn1)
                    + " and 0x" + Long.toHexString(pfn2) + "): this kernel does not map the shared zero page on a read"
                    + " fault" + bootOptionHint());
        }
        if (excl) {
            return new Feature(false, "a page we only read is mapped exclusively (pagemap bit 56): it has a frame of its"
                    + " own, this kernel does not map the shared zero page on a read fault" + bootOptionHint());
        }
        if (scanAddr != 0) {
            try (PagemapScan s = PagemapScan.open("/proc/self/pagemap", 4)) {
                int n = s.scan(scanAddr, scanAddr + Sys.pageSize(), PmScanArg.PAGE_IS_PFNZERO,
                        PmScanArg.PAGE_IS_PFNZERO);
                if (n < 1) {
                    return new Feature(false, "PAGEMAP_SCAN does not put a page we only read in category PFNZERO: this"
                            + " kernel does not map the shared zero page on a read fault" + bootOptionHint());
                }
            } catch (NativeCallFailed e) {
                // fall through: the exclusive bit is the evidence we have
            }
        }
        return new Feature(true, "pages we only read are present and not mapped exclusively: reads of untouched private"
                + " memory map the shared zero page (its PFN is hidden from us)");
    }

    /** Names the boot option that switches the zero page off, when /proc/cmdline has it. */
    private static String bootOptionHint() {
        try {
            String cmdline = Files.readString(Paths.get("/proc/cmdline"), StandardCharsets.UTF_8);
            for (String w : cmdline.trim().split(" ")) {
                if (w.contains("no_zero_page")) {
                    return " (/proc/cmdline has " + w + ")";
                }
            }
        } catch (IOException e) {
            // the hint is optional
        }
        return "";
    }

    /** Reads one pagemap entry of our own process. */
    static long readEntry(Path pagemap, long addr) throws IOException {
        try (FileChannel ch = FileChannel.open(pagemap, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            long pos = (addr >>> 12) * 8;
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) <= 0) {
                    throw new IOException("short read of " + pagemap + " at " + pos);
                }
            }
            return b.getLong(0);
        }
    }

    private static Feature probeKpageflags(long pfn) {
        Path p = Paths.get("/proc/kpageflags");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            int n = ch.read(b, pfn * 8);
            if (n != 8) {
                return new Feature(false, "/proc/kpageflags returned " + n + " bytes for one entry");
            }
            return new Feature(true, "/proc/kpageflags and /proc/kpagecount are readable: per-frame flags and map "
                    + "counts available");
        } catch (java.nio.file.AccessDeniedException e) {
            return new Feature(false, "/proc/kpageflags is mode 0400: root only (EACCES)");
        } catch (java.nio.file.NoSuchFileException e) {
            return new Feature(false, "/proc/kpageflags does not exist (kernel built without CONFIG_PROC_PAGE_MONITOR)");
        } catch (IOException e) {
            return new Feature(false, "/proc/kpageflags unreadable: " + e.getMessage());
        }
    }

    private static Feature probeScan(long addr, int ps) {
        PagemapScan s;
        try {
            s = PagemapScan.open("/proc/self/pagemap", 4);
        } catch (NativeCallFailed e) {
            return new Feature(false, "cannot open /proc/self/pagemap (" + e.errnoName() + "): using pagemap reads");
        }
        try (s) {
            int n = s.scan(addr, addr + 2L * ps, PmScanArg.PAGE_IS_PRESENT, PmScanArg.PAGE_IS_PRESENT);
            if (n < 1 || s.regionStart(0) != addr) {
                return new Feature(false, "ioctl(PAGEMAP_SCAN) answered but did not report a page we just wrote: "
                        + "using pagemap reads");
            }
            return new Feature(true, "ioctl(PAGEMAP_SCAN) works (Linux 6.7+): residency counted as ranges, "
                    + "without reading one entry per page");
        } catch (NativeCallFailed e) {
            if (e.errno() == Errno.ENOTTY || e.errno() == Errno.EINVAL) {
                return new Feature(false, "ioctl(PAGEMAP_SCAN) gave " + e.errnoName()
                        + " (kernel older than 6.7): using pagemap reads");
            }
            return new Feature(false, "ioctl(PAGEMAP_SCAN) failed with " + e.errnoName() + ": using pagemap reads");
        }
    }

    private static Feature probeQuery(long addr) {
        ProcmapQuery q;
        try {
            q = ProcmapQuery.open("/proc/self/maps");
        } catch (NativeCallFailed e) {
            return new Feature(false, "cannot open /proc/self/maps (" + e.errnoName() + ")");
        }
        try (q) {
            Optional<ProcmapQuery.Vma> v = q.covering(addr);
            if (v.isEmpty() || !v.get().mapping().contains(addr)) {
                return new Feature(false, "ioctl(PROCMAP_QUERY) did not find our own probe mapping: parsing maps text");
            }
            return new Feature(true, "ioctl(PROCMAP_QUERY) works (Linux 6.11+): single-address lookups and build IDs "
                    + "without parsing maps text");
        } catch (NativeCallFailed e) {
            if (e.errno() == Errno.ENOTTY) {
                return new Feature(false, "ioctl(PROCMAP_QUERY) gave ENOTTY (kernel older than 6.11): parsing maps text");
            }
            return new Feature(false, "ioctl(PROCMAP_QUERY) failed with " + e.errnoName() + ": parsing maps text");
        }
    }

    /**
     * Honest probe: write both pages, clear soft-dirty bits of our own process, write page 0 again. Soft-dirty works
     * only if page 0 then reads bit 55 set and page 1 clear.
     */
    private static Feature probeSoftDirty(int ps) {
        long base = Sys.mmap(2L * ps, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.poke(base, (byte) 1);
            Sys.poke(base + ps, (byte) 1);
            try {
                Files.write(Paths.get("/proc/self/clear_refs"), "4".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return new Feature(false, "cannot write /proc/self/clear_refs (" + e.getMessage() + ")");
            }
            Sys.poke(base, (byte) 2);
            Path self = Paths.get("/proc/self/pagemap");
            long w;
            long c;
            try {
                w = readEntry(self, base);
                c = readEntry(self, base + ps);
            } catch (IOException e) {
                return new Feature(false, "cannot read /proc/self/pagemap (" + e.getMessage() + ")");
            }
            boolean wSoft = (w & (1L << PagemapEntry.BIT_SOFT_DIRTY)) != 0;
            boolean cSoft = (c & (1L << PagemapEntry.BIT_SOFT_DIRTY)) != 0;
            if (wSoft && !cSoft) {
                return new Feature(true, "clear_refs 4 cleared bit 55 and a write set it again: written-since tracking "
                        + "works (it changes the target, so only on request)");
            }
            return new Feature(false, "after clear_refs 4 and a write, pagemap bit 55 read " + (wSoft ? 1 : 0)
                    + " on the written page and " + (cSoft ? 1 : 0) + " on the other: kernel built without "
                    + "CONFIG_MEM_SOFT_DIRTY; compare PFN, exclusive bit or smaps Anonymous instead");
        } finally {
            Sys.munmap(base, 2L * ps);
        }
    }

    private static Feature probeAnonName(long addr, int ps) {
        try {
            Sys.nameAnon(addr, ps, "inspector-probe");
            return new Feature(true, "prctl(PR_SET_VMA_ANON_NAME) accepted (CONFIG_ANON_VMA_NAME): the lab can name "
                    + "its regions, shown as [anon:name]");
        } catch (NativeCallFailed e) {
            if (e.errno() == Errno.EINVAL) {
                return new Feature(false, "prctl(PR_SET_VMA_ANON_NAME) gave EINVAL: kernel built without "
                        + "CONFIG_ANON_VMA_NAME");
            }
            return new Feature(false, "prctl(PR_SET_VMA_ANON_NAME) failed with " + e.errnoName());
        }
    }
}
