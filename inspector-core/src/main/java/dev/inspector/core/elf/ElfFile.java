package dev.inspector.core.elf;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.BadInput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The headers of one ELF64 little-endian file: ELF header, program headers, section headers with their names, and the
 * GNU build-id note. Only the headers are read, by positional reads ({@link #read(Path)}), never the whole file.
 *
 * <p>The input is treated as hostile: header counts are capped at {@link #MAX_HEADERS}, every (offset, size) pair is
 * checked against the file size without overflow, strings must be NUL-terminated inside their table, and no buffer is
 * larger than {@link #MAX_TABLE_BYTES}. Anything else is a {@link BadInput} naming the file and what is wrong.
 */
public final class ElfFile {

    /** Cap on program and section header counts; real binaries have tens (a debug-info-rich library a few hundred). */
    public static final int MAX_HEADERS = 4096;
    /** Cap on any one table or note area we read (shstrtab, PT_NOTE, PT_INTERP). */
    public static final int MAX_TABLE_BYTES = 1 << 20;

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

    private ElfFile(String name, long fileSize, int type, int machine, long entry, List<ProgramHeader> programHeaders,
                    List<Section> sections, String buildId, String interpreter) {
        this.name = name;
        this.fileSize = fileSize;
        this.type = type;
        this.machine = machine;
        this.entry = entry;
        this.programHeaders = programHeaders;
        this.sections = sections;
        this.buildId = buildId;
        this.interpreter = interpreter;
    }

    /** Reads the headers of the file at {@code path} with positional reads. */
    public static ElfFile read(Path path) {
        String label = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return parse(new ChannelSource(ch, ch.size(), label), label);
        } catch (AccessDeniedException e) {
            throw new AccessDenied(path, "the ELF file must be readable by the inspecting user");
        } catch (NoSuchFileException e) {
            throw new BadInput(label + ": no such file");
        } catch (IOException e) {
            throw new BadInput(label + ": cannot read ELF headers: " + e.getMessage(), e);
        }
    }

    /** Parses an ELF image held in memory (the buffer's remaining bytes; its position is not changed). */
    public static ElfFile parse(ByteBuffer buf, String name) {
        ByteBuffer b = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        return parse(new BufferSource(b), name);
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

    private static final class ChannelSource implements Source {
        private final FileChannel ch;
        private final long size;
        private final String label;

        ChannelSource(FileChannel ch, long size, String label) {
            this.ch = ch;
            this.size = size;
            this.label = label;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void readFully(ByteBuffer dst, long pos) throws IOException {
            long p = pos;
            while (dst.hasRemaining()) {
                int n = ch.read(dst, p);
                if (n < 0) {
                    // The file shrank under us (it was being rewritten).
                    throw new BadInput(label + ": truncated while reading at offset " + p);
                }
                p += n;
            }
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

    private static ElfFile parse(Source src, String name) {
        try {
            return new Parser(src, name).parse();
        } catch (IOException e) {
            throw new BadInput(name + ": cannot read ELF headers: " + e.getMessage(), e);
        }
    }

    private static final class Parser {
        private final Source src;
        private final String name;
        private final long size;

        Parser(Source src, String name) {
            this.src = src;
            this.name = name;
            this.size = src.size();
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
            if (shnum == 0 && sh0 != null) {
                shnum = capCount(sh0.getLong(32), "section header count (sh_size of section 0)");
            }
            if (shstrndx == SHN_XINDEX && sh0 != null) {
                shstrndx = sh0.getInt(40); // sh_link
            }
            phnum = capCount(phnum & 0xffffffffL, "e_phnum");
            shnum = capCount(shnum & 0xffffffffL, "e_shnum");
            if (shoff == 0) {
                shnum = 0;
            }

            List<ProgramHeader> phs = readProgramHeaders(phoff, phentsize, phnum);
            List<Section> secs = readSections(shoff, shentsize, shnum, shstrndx);
            String buildId = findBuildId(phs, secs);
            String interp = readInterpreter(phs);
            return new ElfFile(name, size, type, machine, entry, phs, secs, buildId, interp);
        }

        private List<ProgramHeader> readProgramHeaders(long phoff, int phentsize, int phnum) throws IOException {
            if (phnum == 0) {
                return List.of();
            }
            checkEntSize(phentsize, PHDR_SIZE, "e_phentsize");
            long tableLen = (long) phnum * phentsize; // ≤ 4096 * 0xffff: no overflow
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

        private List<Section> readSections(long shoff, int shentsize, int shnum, int shstrndx) throws IOException {
            if (shnum == 0) {
                return List.of();
            }
            checkEntSize(shentsize, SHDR_SIZE, "e_shentsize");
            long tableLen = (long) shnum * shentsize;
            checkRange(shoff, tableLen, "the section header table");
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
                    e = read(shoff + (long) i * shentsize, SHDR_SIZE, "section header " + i);
                    base = 0;
                }
                nameOff[i] = e.getInt(base);
                types[i] = e.getInt(base + 4);
                flags[i] = e.getLong(base + 8);
                addrs[i] = e.getLong(base + 16);
                offs[i] = e.getLong(base + 24);
                sizes[i] = e.getLong(base + 32);
                if (types[i] != SHT_NOBITS && types[i] != SHT_NULL) {
                    checkRange(offs[i], sizes[i], "section header " + i);
                }
            }
            ByteBuffer strtab = null;
            int strLen = 0;
            if (shstrndx != 0) {
                if (shstrndx < 0 || shstrndx >= shnum) {
                    throw bad("e_shstrndx " + (shstrndx & 0xffffffffL) + " is not below the section count " + shnum);
                }
                if (types[shstrndx] == SHT_NOBITS) {
                    throw bad("the section name table (section " + shstrndx + ") has no file bytes (SHT_NOBITS)");
                }
                if (Long.compareUnsigned(sizes[shstrndx], MAX_TABLE_BYTES) > 0) {
                    throw bad("the section name table is " + Long.toUnsignedString(sizes[shstrndx])
                            + " bytes, over the cap of " + MAX_TABLE_BYTES);
                }
                strLen = (int) sizes[shstrndx];
                strtab = read(offs[shstrndx], strLen, "the section name table");
            }
            List<Section> out = new ArrayList<>(shnum);
            for (int i = 0; i < shnum; i++) {
                String sname = strtab == null ? "" : string(strtab, strLen, nameOff[i] & 0xffffffffL,
                        "the name of section " + i);
                out.add(new Section(sname, types[i], flags[i], addrs[i], offs[i], sizes[i]));
            }
            return Collections.unmodifiableList(out);
        }

        /** The NT_GNU_BUILD_ID note, from PT_NOTE segments or (without program headers) SHT_NOTE sections. */
        private String findBuildId(List<ProgramHeader> phs, List<Section> secs) throws IOException {
            boolean anyNoteSegment = false;
            for (ProgramHeader p : phs) {
                if (p.type() == PT_NOTE) {
                    anyNoteSegment = true;
                    String id = scanNotes(p.offset(), p.filesz(), p.align() == 8 ? 8 : 4, "PT_NOTE segment");
                    if (id != null) {
                        return id;
                    }
                }
            }
            if (!anyNoteSegment) {
                for (Section s : secs) {
                    if (s.type() == SHT_NOTE) {
                        String id = scanNotes(s.offset(), s.size(), 4, "note section " + s.name());
                        if (id != null) {
                            return id;
                        }
                    }
                }
            }
            return null;
        }

        private String scanNotes(long off, long len, int align, String what) throws IOException {
            if (Long.compareUnsigned(len, MAX_TABLE_BYTES) > 0) {
                throw bad(what + " is " + Long.toUnsignedString(len) + " bytes, over the cap of " + MAX_TABLE_BYTES);
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
                    throw bad(what + ": note at offset " + pos + " runs past the end of its area");
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
            if (count < 0 || count > MAX_HEADERS) {
                throw bad(what + " is " + Long.toUnsignedString(count) + ", over the cap of " + MAX_HEADERS);
            }
            return (int) count;
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
