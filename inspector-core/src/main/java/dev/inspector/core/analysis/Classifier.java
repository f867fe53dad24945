package dev.inspector.core.analysis;

import dev.inspector.core.InspectorException;
import dev.inspector.core.elf.ElfFile;
import dev.inspector.core.elf.ElfLookup;
import dev.inspector.core.elf.ElfFile.ProgramHeader;
import dev.inspector.core.elf.ElfFile.Section;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides what each mapping of a process is: a pure function of {@link ClassifierInput} (maps lines, the ELF headers of
 * the mapped files, thread stack pointers, stat's start_brk/startstack). One {@link Region} per mapping, in the same
 * order, each with a one-line evidence saying why.
 *
 * <p>ELF segments are placed with the load bias of each mapped image: the start of the mapping at file offset 0 minus
 * the lowest PT_LOAD p_vaddr rounded down to the page. A mapping's virtual range minus the bias is then compared with
 * each PT_LOAD (to choose TEXT/RODATA/RELRO/DATA) and with the SHF_ALLOC sections (to list what it holds).
 *
 * <p>Heuristics are named as such in the evidence: glibc arenas are recognised by their 64 MiB-aligned reservation
 * shape only. A large malloc chunk ({@link RegionKind#MALLOC_MMAP}) cannot be told from other anonymous memory without
 * reading the target's memory, so this classifier never produces that kind.
 */
public final class Classifier {

    /** glibc HEAP_MAX_SIZE on 64-bit: 2 * DEFAULT_MMAP_THRESHOLD_MAX (2 * 32 MiB); arenas are aligned to it. */
    public static final long ARENA_RESERVATION = 64L << 20;

    private static final int MAX_SECTIONS_IN_EVIDENCE = 6;
    /**
     * Section names listed per region: a real segment holds a few to a few dozen; a crafted file may claim thousands
     * overlapping one page, which would repeat in every mapping of it.
     */
    static final int MAX_SECTIONS_PER_REGION = 64;

    private Classifier() {
    }

    /** What an ELF segment mapping was matched to; kept so the anonymous .bss line after it can be attributed. */
    private record Segment(String path, ElfFile elf, long bias, ProgramHeader load) {
    }

    /** One mapped file: its maps name and identity, so two files shown under one name are not confused. */
    private record FileKey(String name, int devMajor, int devMinor, long inode) {
        static FileKey of(Mapping m) {
            return new FileKey(m.path().name(), m.devMajor(), m.devMinor(), m.inode());
        }
    }

    public static List<Region> classify(ClassifierInput in) {
        List<Mapping> ms = in.mappings();
        int n = ms.size();
        long page = in.pageSize();
        Map<FileKey, ElfLookup> elfs = new HashMap<>();
        Map<FileKey, Long> biasByFile = new HashMap<>();
        Map<Integer, List<Integer>> tidsByIndex = stackPointerIndex(ms, in.threadStackPointers());

        Region[] out = new Region[n];
        Segment[] segments = new Segment[n];

        // Pass 1: everything that depends only on the mapping itself, its file, or the mapping before it.
        for (int i = 0; i < n; i++) {
            Mapping m = ms.get(i);
            MappingPath p = m.path();
            Region r;
            switch (p.type()) {
                case HEAP:
                    r = region(m, RegionKind.HEAP, null, heapEvidence(m, in.startBrk()), null);
                    break;
                case STACK:
                    r = region(m, RegionKind.STACK, null, stackEvidence(m, in), in.mainTid());
                    break;
                case VDSO:
                    r = region(m, RegionKind.VDSO, null, "[vdso]: the kernel's virtual shared object (clock_gettime,"
                            + " getcpu ... without a syscall)", null);
                    break;
                case VVAR:
                    r = region(m, RegionKind.VVAR, null, "[vvar]: kernel data pages the vDSO reads", null);
                    break;
                case VVAR_VCLOCK:
                    r = region(m, RegionKind.VVAR_VCLOCK, null, "[vvar_vclock]: the vDSO's clock pages (split out of"
                            + " [vvar] in Linux 6.x)", null);
                    break;
                case VSYSCALL:
                    r = region(m, RegionKind.VSYSCALL, null, "[vsyscall]: the legacy fixed-address syscall page in the"
                            + " kernel half, emulated (" + m.perms() + ")", null);
                    break;
                case OTHER:
                    r = region(m, RegionKind.OTHER, null, "[" + p.name() + "]: a kernel-named mapping this version"
                            + " does not classify", null);
                    break;
                case SHMEM_NAMED:
                    r = region(m, RegionKind.SHARED_ANONYMOUS, null, "[anon_shmem:" + p.name() + "]: named shared"
                            + " anonymous memory (MAP_SHARED|MAP_ANONYMOUS + PR_SET_VMA_ANON_NAME)", null);
                    break;
                case FILE:
                    r = fileRegion(m, i, in, elfs, biasByFile, segments, page);
                    break;
                case ANONYMOUS:
                case ANON_NAMED:
                    r = anonymousRegion(m, i, ms, segments, tidsByIndex, in, page);
                    break;
                default:
                    throw new AssertionError(p.type());
            }
            out[i] = r;
        }

        // Pass 2: PROT_NONE anonymous lines, which depend on their neighbours' kinds (guards, arena rests).
        for (int i = 0; i < n; i++) {
            if (out[i] == null) {
                out[i] = protNoneRegion(ms, i, out);
            }
        }
        List<Region> list = new ArrayList<>(n);
        Collections.addAll(list, out);
        return list;
    }

    // ---- files --------------------------------------------------------------------------------------------------

    private static Region fileRegion(Mapping m, int i, ClassifierInput in, Map<FileKey, ElfLookup> elfs,
                                     Map<FileKey, Long> biasByFile, Segment[] segments, long page) {
        MappingPath p = m.path();
        String name = p.name();
        Perms perms = m.perms();
        if (p.isMemfd()) {
            return region(m, RegionKind.MEMFD, null, "memfd_create file " + name + " (" + (perms.shared()
                    ? "MAP_SHARED" : "MAP_PRIVATE") + ", inode " + m.inode() + ")", null);
        }
        if (p.isSysvShm()) {
            return region(m, RegionKind.SYSV_SHM, null, "System V shared memory: key 0x" + name.substring(5)
                    + ", shmid " + m.inode() + " (the inode column)", null);
        }
        if (name.equals("/dev/zero")) {
            if (perms.shared() || p.deleted()) {
                return region(m, RegionKind.SHARED_ANONYMOUS, null, "shared anonymous memory: the kernel backs"
                        + " MAP_SHARED|MAP_ANONYMOUS with a shmem file it names /dev/zero (deleted)", null);
            }
            return region(m, RegionKind.ANONYMOUS, null, "private mapping of /dev/zero: anonymous memory", null);
        }
        if (name.equals("/anon_hugepage") && p.deleted()) {
            return region(m, perms.shared() ? RegionKind.SHARED_ANONYMOUS : RegionKind.ANONYMOUS, null,
                    "MAP_HUGETLB anonymous memory (hugetlbfs file /anon_hugepage, " + perms + ")", null);
        }
        if (name.startsWith("/dev/shm/")) {
            return region(m, RegionKind.FILE, null, "POSIX shared memory object (a tmpfs file under /dev/shm, "
                    + perms + ")", null);
        }
        if (name.startsWith("/dev/")) {
            return region(m, RegionKind.DEVICE, null, "device file mapping " + name + " (dev " + m.device() + ")",
                    null);
        }
        if (!name.startsWith("/")) {
            // anon_inode:[...], dmabuf and similar: no path in any filesystem.
            return region(m, RegionKind.DEVICE, null, "special file '" + name + "' (no filesystem path)", null);
        }
        FileKey file = FileKey.of(m);
        ElfLookup found = elfs.computeIfAbsent(file, k -> lookup(in, m));
        if (found.elf() == null) {
            return region(m, perms.none() ? RegionKind.RESERVED : RegionKind.FILE, null,
                    (p.deleted() ? "deleted file " + name + ": " + perms + " mapping" : perms + " mapping of " + name)
                            + " at offset 0x" + Long.toHexString(m.offset()) + " (no ELF headers: "
                            + found.explanation() + ")", null);
        }
        ElfFile e = found.elf();
        String lookupNote = found.note() == null ? "" : " [" + found.note() + "]";
        String role = name.equals(in.exePath()) ? "executable " : "";
        Optional<Long> lowest = e.lowestLoadVaddr();
        if (lowest.isEmpty()) {
            return region(m, RegionKind.FILE, null, "ELF file " + name + " without PT_LOAD segments mapped "
                    + perms + lookupNote, null);
        }
        String biasNote = lookupNote;
        Long bias = biasByFile.get(file);
        // An offset-0 mapping starts a new image, unless it fits the image already placed: with -z noseparate-code
        // the writable segment begins in the file's first page, so its relro (or data) page maps offset 0 again.
        if (m.offset() == 0 && (bias == null || !fitsLayout(m, e, bias, page))) {
            bias = m.start() - pageDown(lowest.get(), page);
            biasByFile.put(file, bias);
        }
        if (bias == null) {
            bias = biasFromOffset(m, e, page);
            if (bias == null) {
                return region(m, RegionKind.FILE, null, perms + " mapping of ELF " + name + " at offset 0x"
                        + Long.toHexString(m.offset()) + " matching no PT_LOAD (mapped as data?)" + lookupNote, null);
            }
            biasNote += " (load bias from the file offset: no offset-0 mapping)";
            biasByFile.put(file, bias);
        }
        long vstart = m.start() - bias;
        long vend = m.end() - bias;
        List<String> secs = sectionsIn(e, vstart, vend);
        if (secs.size() > MAX_SECTIONS_PER_REGION) {
            biasNote += " (" + secs.size() + " sections overlap it; the first " + MAX_SECTIONS_PER_REGION
                    + " are listed)";
            secs = secs.subList(0, MAX_SECTIONS_PER_REGION);
        }
        String owner = name;
        if (perms.none()) {
            return region(m, RegionKind.RESERVED, owner, "---p hole in the reservation of " + role + name
                    + " between its PT_LOAD segments (made PROT_NONE by ld.so)" + biasNote, null, secs);
        }
        ProgramHeader load = chooseLoad(e, perms, vstart, vend, page);
        if (load == null) {
            return region(m, RegionKind.FILE, null, perms + " mapping of ELF " + name + " at 0x"
                    + Long.toHexString(vstart) + " (unrelocated) outside every PT_LOAD" + biasNote, null);
        }
        long expectOffset = pageDown(load.offset(), page) + (vstart - pageDown(load.vaddr(), page));
        if (expectOffset != m.offset() && Long.compareUnsigned(vstart, pageUp(load.vaddr() + load.filesz(), page)) < 0) {
            biasNote += " (file offset 0x" + Long.toHexString(m.offset()) + " differs from the PT_LOAD layout's 0x"
                    + Long.toHexString(expectOffset) + ")";
        }
        String covering = secs.isEmpty() ? "" : " covering " + joinSections(secs);
        String seg = "PT_LOAD " + load.flagsString() + " of " + role + name;
        RegionKind kind;
        String why;
        if (perms.exec()) {
            kind = RegionKind.TEXT;
            why = seg + covering;
        } else if (perms.write()) {
            kind = RegionKind.DATA;
            why = seg + covering + " (filesz 0x" + Long.toHexString(load.filesz()) + ", memsz 0x"
                    + Long.toHexString(load.memsz()) + ")";
            segments[i] = new Segment(name, e, bias, load);
        } else if (load.writable()) {
            Optional<ProgramHeader> relro = e.segment(ElfFile.PT_GNU_RELRO);
            if (relro.isPresent() && overlaps(vstart, vend, pageDown(relro.get().vaddr(), page),
                    pageDown(relro.get().vaddr() + relro.get().memsz(), page))) {
                kind = RegionKind.RELRO;
                why = "read-only part of " + seg + " inside PT_GNU_RELRO (mprotected after relocation)" + covering;
            } else {
                kind = RegionKind.RODATA;
                why = "read-only part of " + seg + " outside PT_GNU_RELRO (made read-only at run time)" + covering;
            }
        } else if (m.offset() == 0) {
            kind = RegionKind.ELF_HEADER;
            why = "first " + seg + " (file offset 0: ELF and program headers)" + covering;
        } else {
            kind = RegionKind.RODATA;
            why = seg + covering;
        }
        return region(m, kind, owner, why + biasNote, null, secs);
    }

    /** The caller's ELF lookup, once per file; a lookup that throws counts as "no headers" (the evidence says why). */
    private static ElfLookup lookup(ClassifierInput in, Mapping m) {
        try {
            ElfLookup e = in.elf().apply(m);
            return e == null ? ElfLookup.notLookedUp() : e;
        } catch (InspectorException ex) {
            return ElfLookup.missing(ex.getMessage(), null);
        }
    }

    /**
     * True when {@code m}, placed with {@code bias}, is where the image's layout puts some PT_LOAD's file pages: its
     * unrelocated start lies in that segment's page range and its file offset is the one the segment maps there.
     */
    private static boolean fitsLayout(Mapping m, ElfFile e, long bias, long page) {
        long vstart = m.start() - bias;
        for (ProgramHeader l : e.loads()) {
            long segStart = pageDown(l.vaddr(), page);
            long fileEnd = pageUp(l.vaddr() + l.filesz(), page);
            if (Long.compareUnsigned(vstart, segStart) >= 0 && Long.compareUnsigned(vstart, fileEnd) < 0
                    && pageDown(l.offset(), page) + (vstart - segStart) == m.offset()) {
                return true;
            }
        }
        return false;
    }

    /** When an image's offset-0 page is not mapped (unmapped by the program): place it by its first mapped segment. */
    private static Long biasFromOffset(Mapping m, ElfFile e, long page) {
        for (ProgramHeader l : e.loads()) {
            long fileStart = pageDown(l.offset(), page);
            long fileEnd = pageUp(l.offset() + l.filesz(), page);
            if (Long.compareUnsigned(m.offset(), fileStart) >= 0 && Long.compareUnsigned(m.offset(), fileEnd) < 0) {
                return m.start() - (pageDown(l.vaddr(), page) + (m.offset() - fileStart));
            }
        }
        return null;
    }

    /**
     * The PT_LOAD whose page-rounded range overlaps [vstart, vend): the one whose W/X flags match the mapping's
     * permissions if several do (older layouts share a file page between segments), else the first.
     */
    private static ProgramHeader chooseLoad(ElfFile e, Perms perms, long vstart, long vend, long page) {
        ProgramHeader first = null;
        for (ProgramHeader l : e.loads()) {
            if (overlaps(vstart, vend, pageDown(l.vaddr(), page), pageUp(l.vaddr() + l.memsz(), page))) {
                if (l.executable() == perms.exec() && l.writable() == perms.write()) {
                    return l;
                }
                if (first == null) {
                    first = l;
                }
            }
        }
        return first;
    }

    /** Names of the SHF_ALLOC sections overlapping the unrelocated range [vstart, vend), in header order. */
    static List<String> sectionsIn(ElfFile e, long vstart, long vend) {
        List<String> out = new ArrayList<>();
        for (Section s : e.sections()) {
            // .tbss takes no address space of its own: its addresses alias the sections after it.
            if (!s.alloc() || s.size() == 0 || (s.tls() && s.nobits())) {
                continue;
            }
            if (overlaps(vstart, vend, s.addr(), s.addr() + s.size())) {
                out.add(s.name());
            }
        }
        return out;
    }

    // ---- anonymous memory ---------------------------------------------------------------------------------------

    private static Region anonymousRegion(Mapping m, int i, List<Mapping> ms, Segment[] segments,
                                          Map<Integer, List<Integer>> tidsByIndex, ClassifierInput in, long page) {
        Perms perms = m.perms();
        boolean named = m.path().type() == MappingPath.Type.ANON_NAMED;
        String label = named ? "[anon:" + m.path().name() + "] " : "anonymous ";
        if (perms.shared()) {
            return region(m, RegionKind.SHARED_ANONYMOUS, null, label + perms + ": shared memory with no file", null);
        }
        if (perms.none()) {
            return null; // decided in pass 2
        }
        List<Integer> tids = tidsByIndex.get(i);
        if (tids != null && perms.read() && perms.write()) {
            int tid = tids.get(0);
            String more = tids.size() > 1 ? " (also SP of tids " + tids.subList(1, tids.size()) + ")" : "";
            return region(m, RegionKind.THREAD_STACK, null, "SP of tid " + tid + " (task/" + tid + "/syscall) at 0x"
                    + Long.toHexString(in.threadStackPointers().get(tid)) + " lies in this " + label + perms
                    + more, tid);
        }
        if (!named && i > 0 && perms.read() && perms.write() && segments[i - 1] != null
                && ms.get(i - 1).end() == m.start()) {
            Segment s = segments[i - 1];
            long memEnd = s.bias + pageUp(s.load.vaddr() + s.load.memsz(), page);
            long vstart = m.start() - s.bias;
            long vend = m.end() - s.bias;
            List<String> secs = sectionsIn(s.elf, vstart, vend);
            if (Long.compareUnsigned(m.end(), memEnd) <= 0) {
                return region(m, RegionKind.BSS, s.path, "anonymous rw-p directly after the rw segment of " + s.path
                        + ", within its PT_LOAD memsz: zero-filled memory past p_filesz"
                        + (secs.isEmpty() ? "" : " covering " + joinSections(secs)), null, secs);
            }
            if (Long.compareUnsigned(m.start(), memEnd) < 0) {
                return region(m, RegionKind.ANONYMOUS, null, "anonymous rw-p: its first 0x"
                        + Long.toHexString(memEnd - m.start()) + " bytes are the .bss tail of " + s.path
                        + ", merged with other anonymous memory up to 0x" + Long.toHexString(m.end()), null, secs);
            }
        }
        if (!named && perms.read() && perms.write() && !perms.exec()) {
            Region arena = arenaHead(m, i, ms, in.threads());
            if (arena != null) {
                return arena;
            }
        }
        return region(m, named ? RegionKind.NAMED_ANONYMOUS : RegionKind.ANONYMOUS, null,
                named ? "[anon:" + m.path().name() + "]: anonymous memory named with PR_SET_VMA_ANON_NAME (" + perms
                        + ")" : PLAIN_ANONYMOUS[permsIndex(perms)], null);
    }

    /**
     * The evidence of plain anonymous memory depends only on the permissions: made once per permission value, since
     * a process can have tens of thousands of such mappings.
     */
    private static final String[] PLAIN_ANONYMOUS = new String[16];

    static {
        for (int i = 0; i < 16; i++) {
            Perms p = Perms.of((i & 8) != 0, (i & 4) != 0, (i & 2) != 0, (i & 1) != 0);
            PLAIN_ANONYMOUS[i] = "anonymous " + p + " with no file and no other evidence (mmap, large malloc chunks,"
                    + " runtime heaps)";
        }
    }

    private static int permsIndex(Perms p) {
        return (p.read() ? 8 : 0) | (p.write() ? 4 : 0) | (p.exec() ? 2 : 0) | (p.shared() ? 1 : 0);
    }

    /** An rw-p at a 64 MiB boundary that, with the ---p after it, makes exactly one glibc arena reservation. */
    private static Region arenaHead(Mapping m, int i, List<Mapping> ms, int threads) {
        if ((m.start() & (ARENA_RESERVATION - 1)) != 0) {
            return null;
        }
        long reservationEnd = m.start() + ARENA_RESERVATION;
        // Alone, the shape is weak: with THP the kernel puts anonymous mappings of 2 MiB or more at 2 MiB boundaries,
        // so one 64 MiB mmap in 32 lands on a 64 MiB one. glibc makes arenas for threads other than the first: a
        // process that has (or is not known to have) a single thread gets no arena from this shape alone.
        if (m.end() == reservationEnd && threads > 1) {
            return region(m, RegionKind.MALLOC_ARENA, null, "heuristic: rw-p exactly 64 MiB at a 64 MiB boundary,"
                    + " the shape of a fully grown glibc arena heap (HEAP_MAX_SIZE), in a process of " + threads
                    + " threads", null);
        }
        if (i + 1 < ms.size()) {
            Mapping next = ms.get(i + 1);
            if (next.start() == m.end() && next.end() == reservationEnd && next.perms().none()
                    && isPrivateAnon(next)) {
                return region(m, RegionKind.MALLOC_ARENA, null, "heuristic: rw-p + ---p pair forming a 64 MiB"
                        + " reservation at a 64 MiB boundary (glibc arena heap 0x" + Long.toHexString(m.start())
                        + "-0x" + Long.toHexString(reservationEnd) + ")", null);
            }
        }
        return null;
    }

    private static Region protNoneRegion(List<Mapping> ms, int i, Region[] out) {
        Mapping m = ms.get(i);
        boolean named = m.path().type() == MappingPath.Type.ANON_NAMED;
        String label = named ? "[anon:" + m.path().name() + "] ---p" : "---p";
        Mapping prev = i > 0 ? ms.get(i - 1) : null;
        boolean prevAdjacentRw = prev != null && prev.end() == m.start() && isPrivateAnon(prev)
                && prev.perms().read() && prev.perms().write();
        if (!named && prevAdjacentRw && out[i - 1].kind() == RegionKind.MALLOC_ARENA) {
            return region(m, RegionKind.MALLOC_ARENA, null, "heuristic: ---p rest of the 64 MiB glibc arena"
                    + " reservation that begins at 0x" + Long.toHexString(prev.start()), null);
        }
        if (i + 1 < ms.size() && ms.get(i + 1).start() == m.end()) {
            Region above = out[i + 1];
            if (above != null && (above.kind() == RegionKind.THREAD_STACK || above.kind() == RegionKind.STACK)) {
                Integer tid = above.tid();
                return region(m, RegionKind.GUARD, null, label + " " + sizeText(m.size())
                        + " directly below the stack of tid " + tid, tid);
            }
        }
        if (!named && prevAdjacentRw && (m.end() & (ARENA_RESERVATION - 1)) == 0
                && Long.compareUnsigned(m.end() - ARENA_RESERVATION, prev.start()) >= 0
                && Long.compareUnsigned(m.end() - ARENA_RESERVATION, m.start()) < 0) {
            return region(m, RegionKind.MALLOC_ARENA, null, "heuristic: ---p ending at a 64 MiB boundary after"
                    + " rw-p memory that began the reservation at 0x" + Long.toHexString(m.end() - ARENA_RESERVATION)
                    + " (glibc arena heap, merged with anonymous memory below)", null);
        }
        return region(m, RegionKind.RESERVED, null, label + " " + sizeText(m.size())
                + ": address space reserved with no access (no stack above it, not an arena shape)", null);
    }

    // ---- evidence helpers ----------------------------------------------------------------------------------------

    private static String heapEvidence(Mapping m, long startBrk) {
        if (startBrk == 0) {
            return "[heap]: the brk area (start_brk not known), brk at 0x" + Long.toHexString(m.end());
        }
        String s = "[heap]: brk area from start_brk 0x" + Long.toHexString(startBrk) + " to brk 0x"
                + Long.toHexString(m.end());
        if (startBrk != m.start()) {
            s += " (the line starts at 0x" + Long.toHexString(m.start()) + ": merged with the mapping below)";
        }
        return s;
    }

    private static String stackEvidence(Mapping m, ClassifierInput in) {
        StringBuilder s = new StringBuilder("[stack]: the main thread's stack (tid " + in.mainTid()
                + ", grows down)");
        if (in.startStack() != 0 && m.contains(in.startStack())) {
            s.append("; startstack 0x").append(Long.toHexString(in.startStack())).append(" inside");
        }
        Long sp = in.threadStackPointers().get(in.mainTid());
        if (sp != null && m.contains(sp)) {
            s.append("; SP of tid ").append(in.mainTid()).append(" at 0x").append(Long.toHexString(sp));
        }
        return s.toString();
    }

    private static Map<Integer, List<Integer>> stackPointerIndex(List<Mapping> ms, Map<Integer, Long> sps) {
        Map<Integer, List<Integer>> out = new HashMap<>();
        // Sorted by tid so the evidence is deterministic.
        for (Map.Entry<Integer, Long> e : new TreeMap<>(sps).entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            int idx = indexOf(ms, e.getValue());
            if (idx >= 0) {
                out.computeIfAbsent(idx, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        return out;
    }

    /** Binary search over mappings sorted by start (unsigned); -1 when no mapping holds {@code addr}. */
    static int indexOf(List<Mapping> ms, long addr) {
        return Mapping.indexContaining(ms, addr);
    }

    private static boolean isPrivateAnon(Mapping m) {
        return m.path().type() == MappingPath.Type.ANONYMOUS && !m.perms().shared();
    }

    private static String joinSections(List<String> secs) {
        if (secs.size() <= MAX_SECTIONS_IN_EVIDENCE) {
            return String.join(",", secs);
        }
        return String.join(",", secs.subList(0, MAX_SECTIONS_IN_EVIDENCE)) + ",… (" + secs.size() + " sections)";
    }

    static String sizeText(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >>> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >>> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >>> 10) + " KiB";
        }
        return bytes + " B";
    }

    static boolean overlaps(long aStart, long aEnd, long bStart, long bEnd) {
        return Long.compareUnsigned(aStart, bEnd) < 0 && Long.compareUnsigned(bStart, aEnd) < 0;
    }

    private static long pageDown(long v, long page) {
        return v & -page;
    }

    private static long pageUp(long v, long page) {
        return (v + page - 1) & -page;
    }

    private static Region region(Mapping m, RegionKind kind, String owner, String evidence, Integer tid) {
        return new Region(m, kind, owner, List.of(), evidence, tid);
    }

    private static Region region(Mapping m, RegionKind kind, String owner, String evidence, Integer tid,
                                 List<String> sections) {
        return new Region(m, kind, owner, sections, evidence, tid);
    }
}
