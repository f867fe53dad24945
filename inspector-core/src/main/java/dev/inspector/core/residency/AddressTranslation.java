package dev.inspector.core.residency;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.KernelLayout.RamRange;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.residency.KPages;
import dev.inspector.core.residency.PageInfo;
import dev.inspector.core.residency.PagemapReader;
import dev.inspector.core.residency.PagemapScanner;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.Target;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.PmScanArg;
import dev.inspector.core.sys.ProcmapQuery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The documents' path "virtual address → MMU → physical address" for one real address of one process. The pure part
 * ({@link #split}) cuts an x86-64 virtual address into the page-table indices the MMU walks: 9 bits per level
 * (512 entries of 8 bytes fill one 4 KiB table) under a 12-bit page offset, 4 levels (PGD, PUD, PMD, PTE; P4D is
 * folded into the PGD) or 5 with LA57 (PGD, P4D, PUD, PMD, PTE). A huge page ends the walk early: a 2 MiB page at the
 * PMD (21-bit offset), a 1 GiB page at the PUD (30-bit offset).
 *
 * <p>The page tables themselves are invisible from user space; what the kernel exposes is the walk's result: the
 * pagemap entry (present/swapped, PFN for CAP_SYS_ADMIN), the frame's /proc/kpageflags and /proc/kpagecount, and the
 * RAM range of /proc/iomem the physical address lies in. {@link #translate} reads those, read-only: it never touches
 * the target's pages, so an untouched page stays untouched.
 */
public final class AddressTranslation {

    /** One step of the walk: the table level, the index into it, and the address bits that form the index. */
    public record Level(String name, int index, int highBit, int lowBit) {
    }

    /**
     * An address cut into its walk. {@code canonical}: bits 63 down to the top virtual-address bit are all equal
     * (else the CPU raises #GP, not a page fault). {@code kernelHalf}: canonical with the top bit set. {@code levels}
     * from the top table down to the PTE; {@code pageOffset} the low 12 bits.
     */
    public record Split(long address, int pagingLevels, boolean canonical, boolean kernelHalf, List<Level> levels,
                        long pageOffset) {

        public Split {
            levels = List.copyOf(levels);
        }

        /** Number of virtual-address bits: 48 for 4-level paging, 57 for 5-level. */
        public int vaBits() {
            return AddressTranslation.vaBits(pagingLevels);
        }

        /** The level with this name (PGD, P4D, PUD, PMD, PTE); absent for P4D under 4-level paging (folded). */
        public Optional<Level> level(String name) {
            for (Level l : levels) {
                if (l.name.equals(name)) {
                    return Optional.of(l);
                }
            }
            return Optional.empty();
        }

        /** The offset within a page of {@code 1 << bits} bytes (12: 4 KiB, 21: 2 MiB, 30: 1 GiB). */
        public long offset(int bits) {
            return address & ((1L << bits) - 1);
        }

        /** The levels a walk visits when it ends at a page of {@code 1 << pageShift} bytes (drops PTE for 2 MiB...). */
        public List<Level> walkFor(int pageShift) {
            List<Level> out = new ArrayList<>(levels.size());
            for (Level l : levels) {
                if (l.lowBit >= pageShift) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    /** 48 or 57. */
    public static int vaBits(int pagingLevels) {
        if (pagingLevels != 4 && pagingLevels != 5) {
            throw new IllegalArgumentException("x86-64 has 4- or 5-level paging, not " + pagingLevels);
        }
        return pagingLevels == 5 ? 57 : 48;
    }

    /** Cuts {@code va} into its page-table indices for 4- or 5-level paging; pure. */
    public static Split split(long va, int pagingLevels) {
        int bits = vaBits(pagingLevels);
        // Sign extension: bits 63..bits-1 must all be copies of bit bits-1.
        long top = va >> (bits - 1);
        boolean canonical = top == 0 || top == -1;
        boolean kernelHalf = canonical && top == -1;
        String[] names = pagingLevels == 5 ? new String[] {"PGD", "P4D", "PUD", "PMD", "PTE"}
                : new String[] {"PGD", "PUD", "PMD", "PTE"};
        List<Level> levels = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            int low = 12 + 9 * (names.length - 1 - i);
            levels.add(new Level(names[i], (int) ((va >>> low) & 0x1ff), low + 8, low));
        }
        return new Split(va, pagingLevels, canonical, kernelHalf, levels, va & 0xfff);
    }

    // ---- the live part --------------------------------------------------------------------------------------------

    /** Why the address has (or has no) frame. */
    public enum Outcome {
        /** Present, with a known PFN. */
        FRAME,
        /** Present and mapped to the shared zero page: reads see zeros, a write faults in a private page. */
        ZERO_PAGE,
        /** Present, but pagemap hides the PFN from readers without CAP_SYS_ADMIN (Linux 4.2+). */
        PFN_HIDDEN,
        /** Swapped out: the entry holds a swap type and offset instead of a PFN. */
        SWAPPED,
        /** Inside a mapping, but no page-table entry: never touched (or dropped, e.g. by MADV_DONTNEED). */
        NEVER_TOUCHED,
        /** No mapping contains the address. */
        NOT_MAPPED,
        /** Bits 63..47 (or 63..56 with LA57) are not all equal: the CPU faults (#GP) before any page walk. */
        NON_CANONICAL,
        /** The kernel half: no user page tables map it, pagemap has no entry for it. */
        KERNEL_HALF
    }

    /** How the containing mapping was found. */
    public enum Lookup {
        PROCMAP_QUERY("ioctl(PROCMAP_QUERY) on /proc/PID/maps (Linux 6.11+)"),
        MAPS("binary search of /proc/PID/maps");

        private final String description;

        Lookup(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * A huge-page view of the walk: the page is {@code 1 << shift} bytes, so the walk ends above the PTE level and the
     * low {@code shift} bits are the offset. {@code evidence} says how we know.
     */
    public record HugeView(int shift, long offset, String evidence) {
    }

    /**
     * Everything learned about one address. Fields that do not apply are null (objects) or -1 (numbers):
     * {@code mapping} is null outside any mapping; {@code mappingIndex} is the 1-based line of the mapping in
     * /proc/PID/maps (as {@code inspector pages} numbers them); {@code gapBelow}/{@code gapAbove} the neighbours of
     * an unmapped address (null at either end of the address space); {@code fileOffset} is null for anonymous
     * mappings; {@code pfn}/{@code physicalAddress} -1 unless the frame is known; {@code ram} null unless the
     * physical address was found in /proc/iomem ({@code ramNote} says why not); {@code scanHuge}/{@code scanZero}
     * what PAGEMAP_SCAN says about the page (null when it was not asked).
     */
    public record Result(int pid, Split split, Outcome outcome, String explanation, Lookup lookup, Mapping mapping,
                         int mappingIndex, Mapping gapBelow, Mapping gapAbove, long pageInMapping, Long fileOffset,
                         long kernelPageSize, Long anonHugePages, PagemapEntry entry, long pfn, long physicalAddress,
                         KPageFlags kpageflags, long mapCount, String kpageNote, RamRange ram, String ramNote,
                         Boolean scanHuge, Boolean scanZero, HugeView huge) {
    }

    private final ProcFs procFs;
    private final KernelFeatures features;
    private final int pagingLevels;
    private final int pageSize;

    public AddressTranslation(ProcFs procFs, KernelFeatures features, int pagingLevels, int pageSize) {
        vaBits(pagingLevels);
        this.procFs = procFs;
        this.features = features;
        this.pagingLevels = pagingLevels;
        this.pageSize = pageSize;
    }

    /** Translates {@code va} in process {@code pid}; read-only. */
    public Result translate(int pid, long va) {
        Split s = split(va, pagingLevels);
        Target t = Target.openAddressSpace(procFs, pid);
        List<Mapping> maps = t.maps();
        if (!s.canonical()) {
            return bare(pid, s, Outcome.NON_CANONICAL, "bits 63.." + (s.vaBits() - 1)
                    + " must all equal bit " + (s.vaBits() - 1) + " (" + s.vaBits() + "-bit virtual addresses with "
                    + pagingLevels + "-level paging); the CPU raises a general-protection fault (#GP, si_code "
                    + "SI_KERNEL) before any page walk", maps);
        }
        if (s.kernelHalf()) {
            int i = indexContaining(maps, va);
            String extra = i >= 0 && maps.get(i).path().type() == MappingPath.Type.VSYSCALL
                    ? "; maps lists [vsyscall] here, but it is the kernel's gate area (calls are emulated, pagemap "
                    + "has no entry for it)" : "";
            return bare(pid, s, Outcome.KERNEL_HALF, "user page tables give user mode no "
                    + "access here and /proc/PID/pagemap covers only the user half" + extra, maps);
        }

        Lookup lookup;
        Mapping m;
        if (procFs.isLive() && features.procmapQuery().available()) {
            lookup = Lookup.PROCMAP_QUERY;
            Optional<ProcmapQuery.Vma> v;
            try (ProcmapQuery q = ProcmapQuery.open(procFs.memDir(pid).resolve("maps").toString())) {
                v = q.covering(va);
            } catch (NativeCallFailed e) {
                throw translateNative(e, pid, "maps");
            }
            m = v.map(ProcmapQuery.Vma::mapping).orElse(null);
        } else {
            lookup = Lookup.MAPS;
            int i = indexContaining(maps, va);
            m = i < 0 ? null : maps.get(i);
        }
        int index = m == null ? -1 : indexOfStart(maps, m.start());
        if (m == null) {
            int above = firstAbove(maps, va);
            Mapping below = above > 0 ? maps.get(above - 1) : above < 0 && !maps.isEmpty() ? lastUser(maps) : null;
            Mapping next = above >= 0 ? maps.get(above) : null;
            if (next != null && next.path().type() == MappingPath.Type.VSYSCALL) {
                next = null;
            }
            String gap = "no mapping contains it; it lies in the gap "
                    + (below == null ? "from address 0" : "after " + describe(below, indexOfStart(maps, below.start())))
                    + (next == null ? " to the end of the user address space" : " and before "
                    + describe(next, indexOfStart(maps, next.start())))
                    + "; an access faults with SEGV_MAPERR";
            return new Result(pid, s, Outcome.NOT_MAPPED, gap, lookup, null, -1, below, next, -1, null, -1, null,
                    null, -1, -1, null, -1, null, null, null, null, null, null);
        }
        if (index < 0) {
            // The lookup and the maps text disagree: the mapping changed between the two reads.
            throw new dev.inspector.core.ProcessGone(pid, "its mappings changed during the read (mapping at 0x"
                    + Long.toHexString(m.start()) + " not in maps); stop the target and retry");
        }

        Smaps sm = smapsOf(t, m);
        long kps = sm != null && sm.has("KernelPageSize") ? sm.get("KernelPageSize") : pageSize;
        Long anonHuge = sm != null && sm.has("AnonHugePages") ? sm.get("AnonHugePages") : null;
        long pageIndex = Long.divideUnsigned(va - m.start(), pageSize);
        Long fileOffset = m.path().isFile() || m.inode() != 0 ? m.offset() + (va - m.start()) : null;

        long pageAddr = va & -(long) pageSize;
        PageInfo info;
        KPages kp = null;
        try (PagemapReader r = new PagemapReader(procFs, pid, features)) {
            if (features.kpageflags().available()) {
                try {
                    kp = new KPages(procFs);
                } catch (AccessDenied e) {
                    kp = null;
                }
            }
            info = r.page(pageAddr, kp);
        } finally {
            if (kp != null) {
                kp.close();
            }
        }
        PagemapEntry e = info.entry();

        Boolean scanHuge = null;
        Boolean scanZero = null;
        if (procFs.isLive() && features.pagemapScan().available() && e.present()) {
            long[] cat = {0};
            try (PagemapScanner sc = new PagemapScanner(procFs, pid, features)) {
                sc.scan(pageAddr, pageAddr + pageSize, (rs, re, c) -> cat[0] |= c);
            }
            scanHuge = (cat[0] & PmScanArg.PAGE_IS_HUGE) != 0;
            scanZero = (cat[0] & PmScanArg.PAGE_IS_PFNZERO) != 0;
        }

        long pfn = e.pfn();
        long phys = pfn >= 0 ? pfn * pageSize + (va & (pageSize - 1)) : -1;
        String kpageNote = null;
        if (e.present() && info.kpageflags() == null) {
            kpageNote = pfn < 0 ? "kpageflags and kpagecount need the PFN, which is hidden"
                    : features.kpageflags().reason();
        }
        RamRange ram = null;
        String ramNote = null;
        if (phys >= 0) {
            KernelFiles kf = new KernelFiles(procFs);
            KernelFiles.SystemRam sr = kf.systemRam();
            if (sr.ranges().isEmpty()) {
                ramNote = sr.note();
            } else {
                ramNote = "no System RAM range of " + kf.file("iomem") + " contains it";
                for (RamRange x : sr.ranges()) {
                    if (Long.compareUnsigned(phys, x.start()) >= 0 && Long.compareUnsigned(phys, x.end()) <= 0) {
                        ram = x;
                        ramNote = null;
                        break;
                    }
                }
            }
        }

        HugeView huge = huge(s, kps, scanHuge, info.kpageflags());
        Outcome o = outcome(e, features.zeroPfn(), scanZero);
        return new Result(pid, s, o, explain(o, e, m), lookup, m, index + 1, null, null, pageIndex, fileOffset, kps,
                anonHuge, e, pfn, phys, info.kpageflags(), info.mapCount(), kpageNote, ram, ramNote, scanHuge,
                scanZero, huge);
    }

    /** The outcome for a pagemap entry of a mapped address; pure. {@code scanZero} may be null (not asked). */
    public static Outcome outcome(PagemapEntry e, long zeroPfn, Boolean scanZero) {
        if (e.present()) {
            if (e.pfn() >= 0) {
                boolean zero = (zeroPfn >= 0 && e.pfn() == zeroPfn) || Boolean.TRUE.equals(scanZero);
                return zero ? Outcome.ZERO_PAGE : Outcome.FRAME;
            }
            return Boolean.TRUE.equals(scanZero) ? Outcome.ZERO_PAGE : Outcome.PFN_HIDDEN;
        }
        if (e.swapped()) {
            return Outcome.SWAPPED;
        }
        return Outcome.NEVER_TOUCHED;
    }

    /** One sentence for an outcome of a mapped address; pure. */
    public static String explain(Outcome o, PagemapEntry e, Mapping m) {
        switch (o) {
            case FRAME:
                return "present: the page-table entry points at frame 0x" + Long.toHexString(e.pfn());
            case ZERO_PAGE:
                return "reads the shared zero page; a write will fault in a private page"
                        + (e.pfn() < 0 ? " (known from PAGEMAP_SCAN PAGE_IS_PFNZERO; the PFN itself is hidden)" : "");
            case PFN_HIDDEN:
                return "the page is in RAM, but pagemap does not say which frame to readers without CAP_SYS_ADMIN "
                        + "(Linux 4.2+); run as root to see it";
            case SWAPPED:
                return e.frame() == PagemapEntry.Frame.KNOWN
                        ? "swapped out: swap type " + e.swapType() + ", offset 0x" + Long.toHexString(e.swapOffset())
                        + "; no frame until an access swaps it back in"
                        : "swapped out (swap type and offset hidden without CAP_SYS_ADMIN); no frame until an access "
                        + "swaps it back in";
            case NEVER_TOUCHED:
                String after = m.path().isFile() && !m.perms().shared()
                        ? "a read would map the page-cache page of the file"
                        : m.perms().shared() ? "an access would fault in the shared page"
                        : "a read would map the shared zero page, a write a private page";
                return (e.guard() ? "guard region (MADV_GUARD_INSTALL): any access faults"
                        : "no page-table entry (never faulted in, or dropped by MADV_DONTNEED); "
                        + after);
            default:
                throw new IllegalArgumentException("not an outcome of a mapped address: " + o);
        }
    }

    private static HugeView huge(Split s, long kernelPageSize, Boolean scanHuge, KPageFlags kf) {
        if (kernelPageSize > 4096 && Long.bitCount(kernelPageSize) == 1) {
            int shift = Long.numberOfTrailingZeros(kernelPageSize);
            return new HugeView(shift, s.offset(shift), "smaps KernelPageSize " + (kernelPageSize >> 10)
                    + " kB (hugetlb)");
        }
        if (Boolean.TRUE.equals(scanHuge)) {
            return new HugeView(21, s.offset(21), "PAGEMAP_SCAN reports PAGE_IS_HUGE: a transparent huge page mapped"
                    + " by a PMD entry, the walk ends at the PMD");
        }
        if (kf != null && (kf.has(KPageFlags.Flag.THP) || kf.has(KPageFlags.Flag.HUGE))) {
            return new HugeView(21, s.offset(21), "kpageflags " + (kf.has(KPageFlags.Flag.THP) ? "THP" : "HUGE")
                    + ": part of a 2 MiB compound page (it may still be mapped by 4 KiB PTEs)");
        }
        return null;
    }

    private Result bare(int pid, Split s, Outcome o, String why, List<Mapping> maps) {
        return new Result(pid, s, o, why, null, null, -1, null, null, -1, null, -1, null, null, -1, -1, null, -1,
                null, null, null, null, null, null);
    }

    private static String describe(Mapping m, int index) {
        String name = m.path().kernelText();
        return "mapping " + (index + 1) + " (" + Long.toHexString(m.start()) + "-" + Long.toHexString(m.end())
                + (name.isEmpty() ? " anonymous" : " " + name) + ")";
    }

    private Smaps smapsOf(Target t, Mapping m) {
        Smaps[] found = {null};
        try {
            t.smaps(rec -> {
                if (rec.mapping().start() == m.start()) {
                    found[0] = rec.smaps();
                }
            });
        } catch (AccessDenied e) {
            return null;
        }
        return found[0];
    }

    private RuntimeException translateNative(NativeCallFailed e, int pid, String file) {
        return procFs.translate(e, procFs.pidDir(pid).resolve(file), pid);
    }

    /** Index of the mapping containing {@code addr} (maps are sorted, unsigned), or -1. */
    static int indexContaining(List<Mapping> maps, long addr) {
        return Mapping.indexContaining(maps, addr);
    }

    /** Index of the first mapping starting above {@code addr}, or -1 when none does. */
    static int firstAbove(List<Mapping> maps, long addr) {
        for (int i = 0; i < maps.size(); i++) {
            if (Long.compareUnsigned(maps.get(i).start(), addr) > 0) {
                return i;
            }
        }
        return -1;
    }

    private static Mapping lastUser(List<Mapping> maps) {
        for (int i = maps.size() - 1; i >= 0; i--) {
            if (maps.get(i).start() >= 0) {
                return maps.get(i);
            }
        }
        return null;
    }

    private static int indexOfStart(List<Mapping> maps, long start) {
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).start() == start) {
                return i;
            }
        }
        return -1;
    }
}
