package dev.inspector.core.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only generator of hostile ELF64 files: the shapes adversarial testing used against the reader (huge and
 * shared name tables, headers overlapping each other and the ELF header, counts far past the file, e_shstrndx out of
 * range, note areas read again and again, 32-bit and big-endian headers, truncations at every boundary). Each is a
 * plain byte array a test writes to a file, maps, or feeds to the parser; the sizes are parameters so a test can
 * build the 1.3 MB original and small variants alike.
 */
public final class HostileElf {

    public static final int SHT_PROGBITS = 1;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOTE = 7;

    private HostileElf() {
    }

    /** A program header: type, flags, offset, vaddr, filesz, memsz, align. */
    public record Phdr(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
    }

    /** A section header: name offset, type, flags, addr, offset, size, link, info. */
    public record Shdr(int name, int type, long flags, long addr, long offset, long size, int link, int info) {
        Shdr(int name, int type, long flags, long addr, long offset, long size) {
            this(name, type, flags, addr, offset, size, 0, 0);
        }
    }

    /**
     * Builds an ELF64 little-endian ET_DYN image: the ELF header, then the program headers, then the section headers,
     * then {@code payload} (at {@link #payloadOffset}); header fields the caller wants wrong are patched afterwards.
     */
    public static byte[] build(List<Phdr> phdrs, List<Shdr> shdrs, int shstrndx, byte[] payload) {
        int phoff = 64;
        int shoff = phoff + 56 * phdrs.size();
        int payloadAt = payloadOffset(phdrs.size(), shdrs.size());
        ByteBuffer b = ByteBuffer.allocate(payloadAt + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 3); // ET_DYN
        b.putShort(18, (short) 62); // EM_X86_64
        b.putInt(20, 1);
        b.putLong(32, phdrs.isEmpty() ? 0 : phoff);
        b.putLong(40, shdrs.isEmpty() ? 0 : shoff);
        b.putShort(52, (short) 64);
        b.putShort(54, (short) 56);
        b.putShort(56, (short) phdrs.size());
        b.putShort(58, (short) 64);
        b.putShort(60, (short) shdrs.size());
        b.putShort(62, (short) shstrndx);
        for (int i = 0; i < phdrs.size(); i++) {
            Phdr p = phdrs.get(i);
            int at = phoff + 56 * i;
            b.putInt(at, p.type).putInt(at + 4, p.flags).putLong(at + 8, p.offset).putLong(at + 16, p.vaddr)
                    .putLong(at + 24, p.vaddr).putLong(at + 32, p.filesz).putLong(at + 40, p.memsz)
                    .putLong(at + 48, p.align);
        }
        for (int i = 0; i < shdrs.size(); i++) {
            Shdr s = shdrs.get(i);
            int at = shoff + 64 * i;
            b.putInt(at, s.name).putInt(at + 4, s.type).putLong(at + 8, s.flags).putLong(at + 16, s.addr)
                    .putLong(at + 24, s.offset).putLong(at + 32, s.size).putInt(at + 40, s.link)
                    .putInt(at + 44, s.info);
        }
        b.put(payloadAt, payload);
        return b.array();
    }

    public static int payloadOffset(int phnum, int shnum) {
        return 64 + 56 * phnum + 64 * shnum;
    }

    /**
     * The original attack: {@code sections} sections (all SHF_ALLOC, all over the first page) whose names are one
     * shared string of {@code nameBytes - 2} bytes, and one readable PT_LOAD over the whole file. With 4096 sections
     * and 1 MiB that is the 1.3 MB file that drove a snapshot to 5.4 GB.
     */
    public static byte[] hugeNames(int sections, int nameBytes) {
        byte[] strtab = new byte[nameBytes];
        Arrays.fill(strtab, 1, nameBytes - 1, (byte) 'A');
        int payloadAt = payloadOffset(1, sections);
        List<Shdr> sh = new ArrayList<>();
        sh.add(new Shdr(0, 0, 0, 0, 0, 0));
        long size = payloadAt + (long) nameBytes;
        for (int i = 1; i < sections - 1; i++) {
            sh.add(new Shdr(1, SHT_PROGBITS, 0x2, 0, 0, Math.min(0x1000, size)));
        }
        sh.add(new Shdr(1, SHT_STRTAB, 0, 0, payloadAt, nameBytes));
        return build(List.of(new Phdr(1, 4, 0, 0, size, size, 0x1000)), sh, sections - 1, strtab);
    }

    /** {@code sections} sections each with its own name of {@code nameLen} bytes. */
    public static byte[] distinctNames(int sections, int nameLen) {
        byte[] strtab = new byte[1 + sections * (nameLen + 1)];
        List<Shdr> sh = new ArrayList<>();
        sh.add(new Shdr(0, 0, 0, 0, 0, 0));
        int payloadAt = payloadOffset(1, sections);
        for (int i = 1; i < sections; i++) {
            int off = 1 + i * (nameLen + 1);
            byte[] name = String.format("%0" + nameLen + "d", i).getBytes();
            System.arraycopy(name, 0, strtab, off, Math.min(nameLen, name.length));
            sh.add(i == sections - 1 ? new Shdr(off, SHT_STRTAB, 0, 0, payloadAt, strtab.length)
                    : new Shdr(off, SHT_PROGBITS, 0x2, 0x1000L * i, 0, 0x1000));
        }
        long size = payloadAt + (long) strtab.length;
        return build(List.of(new Phdr(1, 4, 0, 0, size, size, 0x1000)), sh, sections - 1, strtab);
    }

    /**
     * {@code count} PT_NOTE segments that all point at one note area of {@code areaBytes} holding notes that are not
     * a build-id: read naively that is count * areaBytes bytes (4096 * 1 MiB = 4 GiB).
     */
    public static byte[] noteBomb(int count, int areaBytes) {
        ByteBuffer notes = ByteBuffer.allocate(areaBytes).order(ByteOrder.LITTLE_ENDIAN);
        while (notes.remaining() >= 16) {
            notes.putInt(0).putInt(0).putInt(99); // empty name and descriptor, type 99: skipped, 12 bytes each
        }
        int payloadAt = payloadOffset(count, 0);
        List<Phdr> ph = new ArrayList<>();
        ph.add(new Phdr(1, 4, 0, 0, payloadAt + (long) areaBytes, payloadAt + (long) areaBytes, 0x1000));
        for (int i = 1; i < count; i++) {
            ph.add(new Phdr(4, 4, payloadAt, payloadAt, areaBytes, areaBytes, 4));
        }
        return build(ph, List.of(), 0, notes.array());
    }

    /** Program and section header tables that overlap each other and the ELF header (both at offset 0). */
    public static byte[] overlapping() {
        byte[] img = hugeNames(8, 64);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(32, 0).putLong(40, 0x20); // phoff 0, shoff 0x20: entries read the header's own bytes
        return img;
    }

    /** Extended numbering whose counts in section 0 lie far past the file (PN_XNUM + 2^31, e_shnum 0 + 2^40). */
    public static byte[] countsPastFile() {
        byte[] img = hugeNames(8, 64);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) b.getLong(40);
        b.putShort(60, (short) 0); // e_shnum 0: the count is sh_size of section 0
        b.putLong(shoff + 32, 1L << 40);
        return img;
    }

    /** e_phnum = PN_XNUM with section 0's sh_info far past the file. */
    public static byte[] phnumPastFile() {
        byte[] img = hugeNames(8, 64);
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) b.getLong(40);
        b.putShort(56, (short) 0xffff);
        b.putInt(shoff + 44, 0x7fffffff);
        return img;
    }

    /** e_shstrndx past the section count, and SHN_XINDEX with a huge sh_link. */
    public static List<byte[]> shstrndxOutOfRange() {
        byte[] a = hugeNames(8, 64);
        ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).putShort(62, (short) 0xfffe);
        byte[] x = hugeNames(8, 64);
        ByteBuffer bx = ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN);
        bx.putShort(62, (short) 0xffff);
        bx.putInt((int) bx.getLong(40) + 40, 0x7fffffff);
        return List.of(a, x);
    }

    /** The same image claiming ELFCLASS32, and claiming big-endian data. */
    public static List<byte[]> otherClassAndOrder() {
        byte[] c32 = hugeNames(8, 64);
        c32[4] = 1;
        byte[] be = hugeNames(8, 64);
        be[5] = 2;
        return List.of(c32, be);
    }

    /** {@code img} cut at every header boundary and a few bytes either side of each. */
    public static List<byte[]> truncations(byte[] img) {
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(32);
        long shoff = b.getLong(40);
        int phnum = b.getShort(56) & 0xffff;
        int shnum = b.getShort(60) & 0xffff;
        List<Long> cuts = new ArrayList<>(List.of(0L, 4L, 16L, 52L, 64L, phoff, shoff, shoff + 64L * shnum,
                phoff + 56L * phnum, (long) img.length - 1));
        List<byte[]> out = new ArrayList<>();
        for (long c : cuts) {
            for (long d = -3; d <= 3; d += 3) {
                long len = c + d;
                if (len >= 0 && len < img.length) {
                    out.add(Arrays.copyOf(img, (int) len));
                }
            }
        }
        return out;
    }
}
