package dev.inspector.core.elf;

import dev.inspector.core.BadInput;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.sys.FileStat;
import dev.inspector.core.sys.OpenFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The headers of one ELF64 little-endian file: ELF header, program headers, section headers with their names, and the
 * GNU build-id note. Only the headers are read, by positional reads ({@link #read(Path)}), never the whole file.
 *
 * <p>The input is treated as hostile, and what one file may cost is bounded ({@link Limits}): header counts, the bytes
 * of any one table, the bytes read in all, the length of a section name and the bytes all distinct names may keep.
 * Every (offset, size) pair is checked against the file size without overflow and strings must be NUL-terminated
 * inside their table. A broken ELF header or program header table is a {@link BadInput} naming the file and what is
 * wrong; a broken or oversized section header table, an over-long name or a note area past the read budget is cut
 * instead, and {@link #cuts()} says what was cut, so the segments (which is what classifying a mapping needs) survive.
 */
public final class ElfFile {

    /** Cap on program and section header counts; real binaries have tens (a debug-info-rich library a few hundred). */
    public static final int MAX_HEADERS = 4096;
    /** Cap on any one table or note area we read (shstrtab, PT_NOTE, PT_INTERP). */
    public static final int MAX_TABLE_BYTES = 1 << 20;

    /**
     * What parsing one file may cost.
     *
     * @param maxHeaders       program or section headers; more program headers is an error, more sections are not read
     * @param maxTableBytes    any one table or note area
     * @param maxBytesRead     all reads of one file together (headers, tables, notes); notes past it are not scanned
     * @param maxNameBytes     one section name; longer names are cut to this many bytes and end in "…"
     * @param maxNameTableKept the bytes all distinct section names may keep; names past it become {@code #N}
     */
    public record Limits(int maxHeaders, int maxTableBytes, long maxBytesRead, int maxNameBytes, int maxNameTableKept) {

        /**
         * Real files stay far inside these (libc: 70 sections, 1 KiB of names, ~8 KiB read; libjvm: 40 sections), and
         * a file that hits every one of them costs about 4 MiB of reads and under 1 MiB of heap kept.
         */
        public static final Limits DEFAULT = new Limits(MAX_HEADERS, MAX_TABLE_BYTES, 4L << 20, 128, 64 << 10);

        public Limits {
            if (maxHeaders < 1 || maxTableBytes < 64 || maxBytesRead < 64 || maxNameBytes < 8 || maxNameTableKept < 0) {
                throw new IllegalArgumentException("ELF limits too small");
            }
        }
    }

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_TLS = 0x400;

    static final int EHDR_SIZE = 64;
    static final int PHDR_SIZE = 56;
    static final int SHDR_SIZE = 64;
    private static final int PN_XNUM = 0xffff;
    private static final int SHN_XINDEX = 0xffff;
    private static final int NT_GNU_BUILD_ID = 3;

    /** One program header (segment). Offsets, addresses and sizes are unsigned 64-bit values held in longs. */
    public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {

        public boolean isLoad() {
            return type == PT_LOAD;
        }

        public boolean readable() {
            return (flags & PF_R) != 0;
        }

        public boolean writable() {
            return (flags & PF_W) != 0;
        }

        public boolean executable() {
            return (flags & PF_X) != 0;
        }

        /** Flags the way readelf prints them: {@code R-X}, {@code RW-}. */
        public String flagsString() {
            return (readable() ? "R" : "-") + (writable() ? "W" : "-") + (executable() ? "X" : "-");
        }

        public String typeName() {
            return ElfFile.segmentTypeName(type);
        }
    }

    /** One section header with its name resolved from .shstrtab. */
    public record Section(String name, int type, long flags, long addr, long offset, long size) {

        public boolean alloc() {
            return (flags & SHF_ALLOC) != 0;
        }

        public boolean write() {
            return (flags & SHF_WRITE) != 0;
        }

        public boolean execInstr() {
            return (flags & SHF_EXECINSTR) != 0;
        }

        /** SHT_NOBITS: occupies memory but no file bytes (.bss, .tbss). */
        public boolean nobits() {
            return type == SHT_NOBITS;
        }

        public boolean tls() {
            return (flags & SHF_TLS) != 0;
        }
    }

    private final String name;
    private final long fileSize;
    private final int type;
    private final int machine;
    private final long entry;
    private final List<ProgramHeader> programHeaders;
    private final List<Section> sections;
    private final String buildId;
    private final String interpreter;
    private final List<String> cuts;
    private final long bytesRead;
    private final long retained;

    private ElfFile(String name, long fileSize, int type, int machine, long entry, List<ProgramHeader> programHeaders,
                    List<Section> sections, String buildId, String interpreter, List<String> cuts, long bytesRead,
                    long retainedBytes) {
        this.name = name;
        this.fileSize = fileSize;
        this.type = type;
        this.machine = machine;
        this.entry = entry;
        this.programHeaders = programHeaders;
        this.sections = sections;
        this.buildId = buildId;
        this.interpreter = interpreter;
        this.cuts = cuts;
        this.bytesRead = bytesRead;
        this.retained = retainedBytes;
    }

    /**
     * Reads the headers of the file at {@code path} with positional reads, on the calling thread. The path is opened
     * without blocking and without touching anything but a regular file ({@link SafeOpen}); bounded by
     * {@link Limits#DEFAULT}. For files mapped by another process use {@link MappedElf}, which also bounds the time.
     */
    public static ElfFile read(Path path) {
        String label = path.toString();
        try (OpenFile f = SafeOpen.regularFile(path)) {
            return read(f, label, Limits.DEFAULT);
        }
    }

    /** Parses the headers of a file already opened for reading ({@link SafeOpen}). */
    static ElfFile read(OpenFile f, String label, Limits limits) {
        FileStat st = f.stat();
        return read(f, st.size(), label, limits);
    }

    static ElfFile read(OpenFile f, long size, String label, Limits limits) {
        return parse(new FileSource(f, size, label), label, limits);
    }

    /** Parses an ELF image held in memory (the buffer's remaining bytes; its position is not changed). */
    public static ElfFile parse(ByteBuffer buf, String name) {
        return parse(buf, name, Limits.DEFAULT);
    }

    public static ElfFile parse(ByteBuffer buf, String name, Limits limits) {
        ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        return parse(new BufferSource(b), name, limits);
    }

    public static ElfFile parse(byte[] bytes, String name) {
        return parse(ByteBuffer.wrap(bytes), name);
    }

    // ---- parsing -------------------------------------------------------------------------------------------------

    /** Random access to the file's bytes; reads are bounds-checked before they are issued. */
    private interface Source {
        long size();

        /** Fills {@code dst} (position 0, limit = wanted length) from {@code pos}; the range is already checked. */
        void readFully(ByteBuffer dst, long pos) throws IOException;
    }

    private static final class FileSource implements Source {
        private final OpenFile f;
        private final long size;
        private final String label;

        FileSource(OpenFile f, long size, String label) {
            this.f = f;
            this.size = size;
            this.label = label;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void readFully(ByteBuffer dst, long pos) {
            byte[] a = dst.array();
            int off = dst.arrayOffset() + dst.position();
            int want = dst.remaining();
            long p = pos;
            while (want > 0) {
                int n;
                try {
                    n = f.pread(a, off, want, p);
                } catch (NativeCallFailed e) {
                    throw new BadInput(label + ": cannot read ELF headers: " + e.getMessage(), e);
                }
                if (n == 0) {
                    // The file shrank under us (it was being rewritten).
                    throw new BadInput(label + ": truncated while reading at offset " + p);
                }
                off += n;
                want -= n;
                p += n;
            }
            dst.position(dst.limit());
        }
    }

    private static final class BufferSource implements Source {
        private final ByteBuffer b;

        BufferSource(ByteBuffer b) {
            this.b = b;
        }

        @Override
        public long size() {
            return b.remaining();
        }

        @Override
        public void readFully(ByteBuffer dst, long pos) {
            ByteBuffer src = b.duplicate();
            src.position((int) pos).limit((int) pos + dst.remaining());
            dst.put(src);
        }
    }

    private static ElfFile parse(Source src, String name, Limits limits) {
        try {
            return new Parser(src, name, limits).parse();
        } catch (IOException e) {
            throw new BadInput(name + ": cannot read ELF headers: " + e.getMessage(), e);
        }
    }

    /** A problem with the section headers: they are dropped (the segments are kept) and the reason becomes a cut. */
    private static final class SectionsUnusable extends Exception {
        private static final long serialVersionUID = 1L;

        SectionsUnusable(String what) {
            super(what, null, false, false);
        }
    }

    private static final class Parser {
        private final Source src;
        private final String name;
        private final long size;
        private final Limits limits;
        private final List<String> cuts = new ArrayList<>();
        private long bytesRead;
        private long retained;

        Parser(Source src, String name, Limits limits) {
            this.src = src;
            this.name = name;
            this.size = src.size();
            this.limits = limits;
        }

        ElfFile parse() throws IOException {
            if (size < 16) {
                throw bad("truncated: " + size + " bytes is too short for an ELF identification");
            }
            ByteBuffer eh = read(0, (int) Math.min(EHDR_SIZE, size), "the ELF header");
            if (eh.get(0) != 0x7f || eh.get(1) != 'E' || eh.get(2) != 'L' || eh.get(3) != 'F') {
                throw bad("not an ELF file (no \\x7fELF magic)");
            }
            int cls = eh.get(4);
            if (cls == 1) {
                throw bad("32-bit ELF (ELFCLASS32) is not supported, only ELF64");
            }
            if (cls != 2) {
                throw bad("unknown ELF class " + cls);
            }
            int data = eh.get(5);
            if (data == 2) {
                throw bad("big-endian ELF (ELFDATA2MSB) is not supported, only little-endian");
            }
            if (data != 1) {
                throw bad("unknown ELF data encoding " + data);
            }
            if (size < EHDR_SIZE) {
                throw bad("truncated: " + size + " bytes is shorter than the 64-byte ELF64 header");
            }
            int type = u16(eh, 16);
            int machine = u16(eh, 18);
            long entry = eh.getLong(24);
            long phoff = eh.getLong(32);
            long shoff = eh.getLong(40);
            int phentsize = u16(eh, 54);
            int phnum = u16(eh, 56);
            int shentsize = u16(eh, 58);
            int shnum = u16(eh, 60);
            int shstrndx = u16(eh, 62);

            // Extended numbering (gABI): counts that do not fit 16 bits live in section header 0.
            ByteBuffer sh0 = null;
            if (shoff != 0 && (phnum == PN_XNUM || shnum == 0 || shstrndx == SHN_XINDEX)) {
                checkEntSize(shentsize, SHDR_SIZE, "e_shentsize");
                checkRange(shoff, SHDR_SIZE, "section header 0");
                sh0 = read(shoff, SHDR_SIZE, "section header 0");
            }
            if (phnum == PN_XNUM) {
                if (sh0 == null) {
                    throw bad("e_phnum is PN_XNUM but there is no section header 0 holding the real count");
                }
                phnum = sh0.getInt(44); // sh_info
            }
            long shcount = shnum;
            if (shnum == 0 && sh0 != null) {
                shcount = sh0.getLong(32); // sh_size of section 0
            }
            if (shstrndx == SHN_XINDEX && sh0 != null) {
                shstrndx = sh0.getInt(40); // sh_link
            }
            phnum = capCount(phnum & 0xffffffffL, "e_phnum");

            List<ProgramHeader> phs = readProgramHeaders(phoff, phentsize, phnum);
            List<Section> secs = List.of();
            if (shoff != 0 && shcount != 0) {
                try {
                    if (shcount < 0 || shcount > limits.maxHeaders()) {
                        throw new SectionsUnusable("the section header count " + Long.toUnsignedString(shcount)
                                + " is over the cap of " + limits.maxHeaders());
                    }
                    secs = readSections(shoff, shentsize, (int) shcount, shstrndx);
                } catch (SectionsUnusable e) {
                    cuts.add("section headers not used: " + e.getMessage());
                }
            }
            String buildId = findBuildId(phs, secs);
            String interp = readInterpreter(phs);
            retained += 160L + 72L * phs.size() + 64L * secs.size() + (buildId == null ? 0 : 2L * buildId.length())
                    + (interp == null ? 0 : interp.length() + 48L);
            return new ElfFile(name, size, type, machine, entry, phs, secs, buildId, interp, List.copyOf(cuts),
                    bytesRead, retained);
        }

        private List<ProgramHeader> readProgramHeaders(long phoff, int phentsize, int phnum) throws IOException {
            if (phnum == 0) {
                return List.of();
            }
            checkEntSize(phentsize, PHDR_SIZE, "e_phentsize");
            long tableLen = (long) phnum * phentsize; // ≤ 4096 * 256: no overflow
            checkRange(phoff, tableLen, "the program header table");
            List<ProgramHeader> out = new ArrayList<>(phnum);
            ByteBuffer table = phentsize == PHDR_SIZE ? read(phoff, (int) tableLen, "the program header table") : null;
            for (int i = 0; i < phnum; i++) {
                ByteBuffer e;
                int base;
                if (table != null) {
                    e = table;
                    base = i * PHDR_SIZE;
                } else {
                    e = read(phoff + (long) i * phentsize, PHDR_SIZE, "program header " + i);
                    base = 0;
                }
                int ptype = e.getInt(base);
                int pflags = e.getInt(base + 4);
                long off = e.getLong(base + 8);
                long vaddr = e.getLong(base + 16);
                long filesz = e.getLong(base + 32);
                long memsz = e.getLong(base + 40);
                long align = e.getLong(base + 48);
                if (ptype != PT_NULL && ptype != PT_GNU_STACK) {
                    checkRange(off, filesz, "program header " + i + " (" + segmentTypeName(ptype) + ")");
                }
                out.add(new ProgramHeader(ptype, pflags, off, vaddr, filesz, memsz, align));
            }
            return Collections.unmodifiableList(out);
        }

        private List<Section> readSections(long shoff, int shentsize, int shnum, int shstrndx)
                throws IOException, SectionsUnusable {
            try {
                checkEntSize(shentsize, SHDR_SIZE, "e_shentsize");
                checkRange(shoff, (long) shnum * shentsize, "the section header table");
            } catch (BadInput e) {
                throw new SectionsUnusable(reason(e));
            }
            long tableLen = (long) shnum * shentsize;
            if (shentsize == SHDR_SIZE && !affordable(tableLen)) {
                throw new SectionsUnusable("the section header table would pass the read budget of "
                        + limits.maxBytesRead() + " bytes");
            }
            ByteBuffer table = shentsize == SHDR_SIZE ? read(shoff, (int) tableLen, "the section header table") : null;
            int[] nameOff = new int[shnum];
            int[] types = new int[shnum];
            long[] flags = new long[shnum];
            long[] addrs = new long[shnum];
            long[] offs = new long[shnum];
            long[] sizes = new long[shnum];
            for (int i = 0; i < shnum; i++) {
                ByteBuffer e;
                int base;
                if (table != null) {
                    e = table;
                    base = i * SHDR_SIZE;
                } else {
                    if (!affordable(SHDR_SIZE)) {
                        throw new SectionsUnusable("section header " + i + " would pass the read budget of "
                                + limits.maxBytesRead() + " bytes");
                    }
                    e = read(shoff + (long) i * shentsize, SHDR_SIZE, "section header " + i);
                    base = 0;
                }
                nameOff[i] = e.getInt(base);
                types[i] = e.getInt(base + 4);
                flags[i] = e.getLong(base + 8);
                addrs[i] = e.getLong(base + 16);
                offs[i] = e.getLong(base + 24);
                sizes[i] = e.getLong(base + 32);
                if (types[i] != SHT_NOBITS && types[i] != SHT_NULL && !inFile(offs[i], sizes[i])) {
                    throw new SectionsUnusable("section header " + i + " at offset 0x" + Long.toHexString(offs[i])
                            + " size 0x" + Long.toHexString(sizes[i]) + " lies beyond the end of the file ("
                            + size + " bytes)");
                }
            }
            ByteBuffer strtab = null;
            int strLen = 0;
            if (shstrndx != 0) {
                if (shstrndx < 0 || shstrndx >= shnum) {
                    throw new SectionsUnusable("e_shstrndx " + (shstrndx & 0xffffffffL)
                            + " is not below the section count " + shnum);
                }
                if (types[shstrndx] == SHT_NOBITS) {
                    throw new SectionsUnusable("the section name table (section " + shstrndx
                            + ") has no file bytes (SHT_NOBITS)");
                }
                if (Long.compareUnsigned(sizes[shstrndx], limits.maxTableBytes()) > 0) {
                    throw new SectionsUnusable("the section name table is " + Long.toUnsignedString(sizes[shstrndx])
                            + " bytes, over the cap of " + limits.maxTableBytes());
                }
                if (!affordable(sizes[shstrndx])) {
                    throw new SectionsUnusable("the section name table would pass the read budget of "
                            + limits.maxBytesRead() + " bytes");
                }
                strLen = (int) sizes[shstrndx];
                strtab = read(offs[shstrndx], strLen, "the section name table");
            }
            // Names are shared by offset: 4096 sections naming one 1 MiB string cost one (cut) string, not 4 GiB.
            Map<Integer, String> names = new HashMap<>();
            Set<Integer> cutOffsets = new HashSet<>();
            int cutLong = 0;
            int unnamed = 0;
            int badNames = 0;
            long keptBytes = 0;
            List<Section> out = new ArrayList<>(shnum);
            for (int i = 0; i < shnum; i++) {
                String sname = "";
                if (strtab != null) {
                    int off = nameOff[i];
                    sname = names.get(off);
                    if (sname != null && cutOffsets.contains(off)) {
                        cutLong++;
                    }
                    if (sname == null) {
                        int end = off < 0 || off >= strLen ? -1 : nulAt(strtab, strLen, off);
                        if (end < 0) {
                            sname = "#" + i;
                            badNames++;
                        } else if (keptBytes >= limits.maxNameTableKept()) {
                            sname = "#" + i;
                            unnamed++;
                        } else {
                            int len = end - off;
                            if (len > limits.maxNameBytes()) {
                                sname = utf8(strtab, off, limits.maxNameBytes()) + "\u2026";
                                cutOffsets.add(off);
                                cutLong++;
                            } else {
                                sname = utf8(strtab, off, len);
                            }
                            keptBytes += sname.length();
                            names.put(off, sname);
                        }
                    }
                }
                out.add(new Section(sname, types[i], flags[i], addrs[i], offs[i], sizes[i]));
            }
            retained += keptBytes + 48L * names.size();
            if (badNames > 0) {
                cuts.add(badNames + " section name" + plural(badNames) + " outside the name table or not"
                        + " NUL-terminated, shown as #index");
            }
            if (cutLong > 0) {
                cuts.add(cutLong + " section name" + plural(cutLong) + " longer than " + limits.maxNameBytes()
                        + " bytes cut (ending in \u2026)");
            }
            if (unnamed > 0) {
                cuts.add(unnamed + " section name" + plural(unnamed) + " past the " + limits.maxNameTableKept()
                        + " bytes of names kept per file, shown as #index");
            }
            return Collections.unmodifiableList(out);
        }

        /** The NT_GNU_BUILD_ID note, from PT_NOTE segments or (without program headers) SHT_NOTE sections. */
        private String findBuildId(List<ProgramHeader> phs, List<Section> secs) throws IOException {
            boolean anyNoteSegment = false;
            int unaffordable = 0;
            String id = null;
            for (ProgramHeader p : phs) {
                if (p.type() == PT_NOTE) {
                    anyNoteSegment = true;
                    if (!affordable(Math.min(p.filesz(), limits.maxTableBytes()))) {
                        unaffordable++; // counted, not described one by one: a file may have 4096 of them
                        continue;
                    }
                    id = scanNotes(p.offset(), p.filesz(), p.align() == 8 ? 8 : 4, "PT_NOTE segment");
                    if (id != null) {
                        break;
                    }
                }
            }
            if (!anyNoteSegment) {
                for (Section s : secs) {
                    if (s.type() == SHT_NOTE) {
                        if (!affordable(Math.min(s.size(), limits.maxTableBytes()))) {
                            unaffordable++;
                            continue;
                        }
                        id = scanNotes(s.offset(), s.size(), 4, "note section " + s.name());
                        if (id != null) {
                            break;
                        }
                    }
                }
            }
            if (unaffordable > 0) {
                cuts.add(unaffordable + " note area" + plural(unaffordable) + " not scanned for a build-id: past the"
                        + " read budget of " + limits.maxBytesRead() + " bytes per file");
            }
            return id;
        }

        private String scanNotes(long off, long len, int align, String what) throws IOException {
            // One cut line per reason, however many note areas share it (a file may have 4096 of them).
            if (Long.compareUnsigned(len, limits.maxTableBytes()) > 0) {
                cutOnce(what + " not scanned for a build-id: over the cap of " + limits.maxTableBytes() + " bytes");
                return null;
            }
            if (!inFile(off, len)) {
                cutOnce(what + " not scanned for a build-id: it lies beyond the end of the file");
                return null;
            }
            int n = (int) len;
            ByteBuffer notes = read(off, n, what);
            int pos = 0;
            // Each iteration advances by at least 12 bytes, so the loop ends.
            while (n - pos >= 12) {
                long namesz = notes.getInt(pos) & 0xffffffffL;
                long descsz = notes.getInt(pos + 4) & 0xffffffffL;
                int ntype = notes.getInt(pos + 8);
                long nameStart = pos + 12L;
                // Offsets are aligned relative to the (aligned) start of the note area, not the field sizes.
                long descStart = alignUp(nameStart + namesz, align);
                long next = alignUp(descStart + descsz, align);
                if (descStart + descsz > n) {
                    cutOnce(what + ": a note runs past the end of its area");
                    return null;
                }
                if (ntype == NT_GNU_BUILD_ID && namesz == 4 && notes.get((int) nameStart) == 'G'
                        && notes.get((int) nameStart + 1) == 'N' && notes.get((int) nameStart + 2) == 'U'
                        && notes.get((int) nameStart + 3) == 0) {
                    StringBuilder hex = new StringBuilder((int) descsz * 2);
                    for (int i = 0; i < descsz; i++) {
                        int v = notes.get((int) descStart + i) & 0xff;
                        hex.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
                    }
                    return hex.toString();
                }
                pos = (int) Math.min(next, n);
            }
            return null;
        }

        private String readInterpreter(List<ProgramHeader> phs) throws IOException {
            for (ProgramHeader p : phs) {
                if (p.type() == PT_INTERP) {
                    // filesz was range-checked against the file; a path longer than PATH_MAX is malformed.
                    int n = (int) Math.min(p.filesz(), 4096);
                    if (!affordable(n)) {
                        cuts.add("PT_INTERP not read: past the read budget of " + limits.maxBytesRead() + " bytes");
                        return null;
                    }
                    ByteBuffer b = read(p.offset(), n, "PT_INTERP");
                    return string(b, n, 0, "PT_INTERP");
                }
            }
            return null;
        }

        // ---- bounded primitives --------------------------------------------------------------------------------

        private static long alignUp(long v, int a) {
            return (v + a - 1) & -a;
        }

        private int capCount(long count, String what) {
            if (count < 0 || count > limits.maxHeaders()) {
                throw bad(what + " is " + Long.toUnsignedString(count) + ", over the cap of " + limits.maxHeaders());
            }
            return (int) count;
        }

        private void cutOnce(String what) {
            if (!cuts.contains(what) && cuts.size() < 16) {
                cuts.add(what);
            }
        }

        /** True when reading {@code len} more bytes keeps this file inside its read budget. */
        private boolean affordable(long len) {
            return len >= 0 && len <= limits.maxBytesRead() - bytesRead;
        }

        private boolean inFile(long off, long len) {
            return off >= 0 && len >= 0 && off <= size && len <= size - off;
        }

        /** The index of the NUL ending the string at {@code off}, or -1 when the table ends first. */
        private static int nulAt(ByteBuffer table, int len, int off) {
            for (int i = off; i < len; i++) {
                if (table.get(i) == 0) {
                    return i;
                }
            }
            return -1;
        }

        private static String utf8(ByteBuffer table, int off, int len) {
            byte[] bytes = new byte[len];
            table.get(off, bytes, 0, len);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static String plural(int n) {
            return n == 1 ? "" : "s";
        }

        /** A BadInput's message without the "name: " prefix {@link #bad} put in front. */
        private String reason(BadInput e) {
            String m = e.getMessage();
            return m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m;
        }

        private void checkEntSize(int entsize, int min, String what) {
            // Real ELF64 files use exactly 56/64; allow larger (the gABI permits it) up to a sane bound.
            if (entsize < min || entsize > 256) {
                throw bad(what + " is " + entsize + ", expected " + min);
            }
        }

        /** Checks that [off, off + len) lies inside the file, treating both as unsigned and without overflow. */
        private void checkRange(long off, long len, String what) {
            if (off < 0 || len < 0 || off > size || len > size - off) {
                throw bad(what + " at offset 0x" + Long.toHexString(off) + " size 0x" + Long.toHexString(len)
                        + " lies beyond the end of the file (" + size + " bytes)");
            }
        }

        private ByteBuffer read(long off, int len, String what) throws IOException {
            checkRange(off, len, what);
            if (!affordable(len)) {
                throw bad(what + " would pass the read budget of " + limits.maxBytesRead() + " bytes per file");
            }
            bytesRead += len;
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            src.readFully(b, off);
            b.clear();
            return b;
        }

        /** A NUL-terminated string at {@code off} inside a table of {@code len} bytes. */
        private String string(ByteBuffer table, int len, long off, String what) {
            if (off >= len) {
                throw bad(what + ": string offset " + off + " is outside its table of " + len + " bytes");
            }
            int start = (int) off;
            int end = start;
            while (end < len && table.get(end) != 0) {
                end++;
            }
            if (end == len) {
                throw bad(what + ": string at offset " + off + " is not NUL-terminated within its table");
            }
            byte[] bytes = new byte[end - start];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = table.get(start + i);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static int u16(ByteBuffer b, int off) {
            return b.getShort(off) & 0xffff;
        }

        private BadInput bad(String what) {
            return new BadInput(name + ": " + what);
        }
    }

    // ---- accessors ---------------------------------------------------------------------------------------------

    /** The file name this was read from (as given). */
    public String name() {
        return name;
    }

    public long fileSize() {
        return fileSize;
    }

    /** e_type: {@link #ET_EXEC}, {@link #ET_DYN} (PIE executables and shared libraries), ... */
    public int type() {
        return type;
    }

    public String typeName() {
        switch (type) {
            case ET_REL:
                return "ET_REL";
            case ET_EXEC:
                return "ET_EXEC";
            case ET_DYN:
                return "ET_DYN";
            case ET_CORE:
                return "ET_CORE";
            default:
                return "ET_" + type;
        }
    }

    /** e_machine ({@link #EM_X86_64} = 62). */
    public int machine() {
        return machine;
    }

    /** e_entry, the entry point's virtual address before relocation. */
    public long entry() {
        return entry;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    public List<Section> sections() {
        return sections;
    }

    /**
     * What was cut to keep this file within its {@link Limits} (over-long names, an oversized section table, notes past
     * the read budget), one phrase each; empty for every ordinary file. Say so wherever these headers are used.
     */
    public List<String> cuts() {
        return cuts;
    }

    /** Bytes read from the file to parse it (bounded by {@link Limits#maxBytesRead()}). */
    public long bytesRead() {
        return bytesRead;
    }

    /** An estimate of the heap this object keeps (headers, names), for a cache that bounds its memory. */
    public long retainedBytes() {
        return retained;
    }

    /** The GNU build-id as lower-case hex, as {@code readelf -n} prints it. */
    public Optional<String> buildId() {
        return Optional.ofNullable(buildId);
    }

    /** The PT_INTERP path (the dynamic loader), empty for static executables and libraries. */
    public Optional<String> interpreter() {
        return Optional.ofNullable(interpreter);
    }

    /** The PT_LOAD program headers in file order. */
    public List<ProgramHeader> loads() {
        List<ProgramHeader> out = new ArrayList<>();
        for (ProgramHeader p : programHeaders) {
            if (p.isLoad()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The first program header of the given type, if any (PT_GNU_RELRO, PT_TLS, ...). */
    public Optional<ProgramHeader> segment(int ptype) {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == ptype) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The lowest PT_LOAD p_vaddr (unsigned), or empty when the file has no loadable segment. */
    public Optional<Long> lowestLoadVaddr() {
        Long low = null;
        for (ProgramHeader p : programHeaders) {
            if (p.isLoad() && (low == null || Long.compareUnsigned(p.vaddr(), low) < 0)) {
                low = p.vaddr();
            }
        }
        return Optional.ofNullable(low);
    }

    public static String segmentTypeName(int type) {
        switch (type) {
            case PT_NULL:
                return "PT_NULL";
            case PT_LOAD:
                return "PT_LOAD";
            case PT_DYNAMIC:
                return "PT_DYNAMIC";
            case PT_INTERP:
                return "PT_INTERP";
            case PT_NOTE:
                return "PT_NOTE";
            case 5:
                return "PT_SHLIB";
            case PT_PHDR:
                return "PT_PHDR";
            case PT_TLS:
                return "PT_TLS";
            case PT_GNU_EH_FRAME:
                return "PT_GNU_EH_FRAME";
            case PT_GNU_STACK:
                return "PT_GNU_STACK";
            case PT_GNU_RELRO:
                return "PT_GNU_RELRO";
            case PT_GNU_PROPERTY:
                return "PT_GNU_PROPERTY";
            default:
                return "0x" + Integer.toHexString(type);
        }
    }

    @Override
    public String toString() {
        return name + " (" + typeName() + ", " + programHeaders.size() + " program headers, " + sections.size()
                + " sections" + (buildId == null ? "" : ", build-id " + buildId) + ")";
    }
}
