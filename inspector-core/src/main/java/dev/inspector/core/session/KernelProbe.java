package dev.inspector.core.session;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.model.KernelFeatures.Feature;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.PagemapEntry;
import dev.inspector.core.sys.Errno;
import dev.inspector.core.sys.PagemapScan;
import dev.inspector.core.sys.PmScanArg;
import dev.inspector.core.sys.ProcmapQuery;
import dev.inspector.core.sys.Sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Probes what this kernel and our privileges allow, on the inspector's OWN process (never a target): each feature with
 * a one-line reason. The probes map a few private pages, touch them and unmap them again; the soft-dirty probe writes
 * {@code 4} to our own {@code clear_refs}. Run once per process by {@link Host}; ~50 ms on a cold JVM (it loads the
 * native layer), so the host runs it beside the first read.
 */
public final class KernelProbe {

    private final ProcFs fs;

    public KernelProbe(ProcFs fs) {
        this.fs = fs;
    }

    public KernelFeatures probe() {
        int ps = Sys.pageSize();
        // Three private pages: page 0 written, pages 1 and 2 only read (each maps the shared zero page, if the kernel
        // uses one: then both show the same frame).
        long base = Sys.mmap(3L * ps, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.poke(base, (byte) 1);
            Sys.peek(base + ps);
            Sys.peek(base + 2L * ps);
            long written;
            long read1;
            long read2;
            try {
                long[] e = fs.pagemapEntries(0, base / ps, 3);
                written = e[0];
                read1 = e[1];
                read2 = e[2];
            } catch (InspectorException e) {
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
            Feature zero = probeZeroPage(read1, read2, pfns.available(), scan.available() ? base + ps : 0);
            long zeroPfn = zero.available() && pfns.available() ? read1 & PagemapEntry.PFN_MASK : -1;
            Feature kpf = probeKpageflags(pfns.available() ? written & PagemapEntry.PFN_MASK : 0);
            Feature query = probeQuery(base);
            Feature soft = probeSoftDirty(ps);
            Feature names = probeAnonName(base, ps);
            boolean none = !zero.available() && PagemapEntry.isPresent(read1) && PagemapEntry.isPresent(read2);
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
    private Feature probeZeroPage(long read1, long read2, boolean pfnsVisible, long scanAddr) {
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
            try (PagemapScan s = PagemapScan.open(fs.selfDir().resolve("pagemap").toString(), 4)) {
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
    private String bootOptionHint() {
        KernelFiles kf = new KernelFiles(fs);
        List<String> params = kf.cmdline();
        if (params != null) {
            for (String w : params) {
                if (w.contains("no_zero_page")) {
                    return " (" + kf.file("cmdline") + " has " + w + ")";
                }
            }
        }
        return "";
    }

    private Feature probeKpageflags(long pfn) {
        Path p = fs.root().resolve("kpageflags");
        if (!Files.exists(p)) {
            return new Feature(false, p + " does not exist (kernel built without CONFIG_PROC_PAGE_MONITOR)");
        }
        try {
            int n = fs.pread(p, pfn * 8, 8, 0).length;
            if (n != 8) {
                return new Feature(false, p + " returned " + n + " bytes for one entry");
            }
            return new Feature(true, p + " and kpagecount are readable: per-frame flags and map counts available");
        } catch (AccessDenied e) {
            return new Feature(false, p + " is mode 0400: root only (EACCES)");
        }
    }

    private Feature probeScan(long addr, int ps) {
        PagemapScan s;
        try {
            s = PagemapScan.open(fs.selfDir().resolve("pagemap").toString(), 4);
        } catch (NativeCallFailed e) {
            return new Feature(false, "cannot open " + fs.selfDir().resolve("pagemap") + " (" + e.errnoName() + "): using pagemap reads");
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

    private Feature probeQuery(long addr) {
        ProcmapQuery q;
        try {
            q = ProcmapQuery.open(fs.selfDir().resolve("maps").toString());
        } catch (NativeCallFailed e) {
            return new Feature(false, "cannot open " + fs.selfDir().resolve("maps") + " (" + e.errnoName() + ")");
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
    private Feature probeSoftDirty(int ps) {
        long base = Sys.mmap(2L * ps, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.poke(base, (byte) 1);
            Sys.poke(base + ps, (byte) 1);
            try {
                fs.write(fs.selfDir().resolve("clear_refs"), "4", 0); // our own process only
            } catch (InspectorException e) {
                return new Feature(false, "cannot write " + fs.selfDir().resolve("clear_refs") + " (" + e.getMessage()
                        + ")");
            }
            Sys.poke(base, (byte) 2);
            long w;
            long c;
            try {
                long[] e = fs.pagemapEntries(0, base / ps, 2);
                w = e[0];
                c = e[1];
            } catch (InspectorException e) {
                return new Feature(false, "cannot read our own pagemap (" + e.getMessage() + ")");
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

    private Feature probeAnonName(long addr, int ps) {
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
