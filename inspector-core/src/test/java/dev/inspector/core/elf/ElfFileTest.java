package dev.inspector.core.elf;

import dev.inspector.core.BadInput;
import dev.inspector.core.elf.ElfFile.ProgramHeader;
import dev.inspector.core.elf.ElfFile.Section;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class ElfFileTest {

    static final String TINY = """
            #include <stdio.h>
            int g_init = 42;
            int g_uninit;
            static char g_big[1 << 20];
            const char g_ro[] = "read-only";
            int main(void) { g_big[0] = 1; printf("%s %d\\n", g_ro, g_init + g_uninit); return 0; }
            """;

    @TempDir
    static Path tmp;
    static Path tiny;

    @BeforeAll
    static void compile() throws Exception {
        tiny = Tools.gcc(tmp, "tiny", TINY, "-Wl,--build-id").orElse(null);
    }

    static Path javaExe() throws IOException {
        return Path.of("/proc/self/exe").toRealPath();
    }

    static Path libc() {
        for (Mapping m : ProcFs.system().maps((int) ProcessHandle.current().pid())) {
            if (m.path().isFile() && m.path().name().matches(".*/libc\\.so(\\.\\d+)*")) {
                return Path.of(m.path().name());
            }
        }
        throw new AssertionError("no libc in /proc/self/maps");
    }

    @Test
    void javaLauncherAndLibcMatchReadelf() throws Exception {
        for (Path p : List.of(javaExe(), libc())) {
            ElfFile e = ElfFile.read(p);
            assertEquals(ElfFile.EM_X86_64, e.machine(), p.toString());
            assertTrue(e.type() == ElfFile.ET_DYN || e.type() == ElfFile.ET_EXEC, p + " " + e.typeName());
            assertFalse(e.loads().isEmpty(), p + " has PT_LOAD");
            assertEquals(Files.size(p), e.fileSize());
            compareWithReadelf(p, e);
        }
        ElfFile libc = ElfFile.read(libc());
        assertTrue(libc.segment(ElfFile.PT_TLS).isPresent(), "libc has TLS (errno)");
        assertTrue(libc.segment(ElfFile.PT_GNU_RELRO).isPresent());
        assertTrue(libc.segment(ElfFile.PT_DYNAMIC).isPresent());
        Section text = section(libc, ".text");
        assertTrue(text.alloc() && text.execInstr() && !text.write());
        Section bss = section(libc, ".bss");
        assertTrue(bss.nobits() && bss.alloc() && bss.write());
    }

    @Test
    void gccProgramHeadersSectionsInterpreterAndBuildId() throws Exception {
        assumeTrue(tiny != null, "gcc not available");
        ElfFile e = ElfFile.read(tiny);
        compareWithReadelf(tiny, e);
        // gcc 12 on Debian builds PIE by default; the interpreter is what readelf names.
        if (Tools.has("readelf")) {
            String l = Tools.run("readelf", "-lW", tiny.toString()).orElseThrow();
            String interp = l.substring(l.indexOf("interpreter: ") + 13, l.indexOf(']', l.indexOf("interpreter: ")));
            assertEquals(Optional.of(interp), e.interpreter());
        }
        Section bss = section(e, ".bss");
        assertTrue(bss.nobits(), ".bss is SHT_NOBITS");
        assertTrue(bss.size() >= (1 << 20), "the 1 MiB static array is in .bss: " + bss.size());
        Section data = section(e, ".data");
        assertTrue(data.alloc() && data.write() && !data.nobits());
        ProgramHeader rw = e.loads().stream().filter(ProgramHeader::writable).findFirst().orElseThrow();
        assertTrue(rw.memsz() - rw.filesz() >= (1 << 20), "bss is memory, not file: filesz < memsz");

        Path nopie = Tools.gcc(tmp, "tiny-nopie", TINY, "-no-pie").orElse(null);
        assumeTrue(nopie != null, "gcc -no-pie failed");
        ElfFile ne = ElfFile.read(nopie);
        assertEquals(ElfFile.ET_EXEC, ne.type());
        assertTrue(Long.compareUnsigned(ne.lowestLoadVaddr().orElseThrow(), 0) > 0, "non-PIE links at a fixed base");
        compareWithReadelf(nopie, ne);
    }

    /** Program headers, section names/addresses and build-id must equal what readelf prints. */
    static void compareWithReadelf(Path p, ElfFile e) throws Exception {
        if (!Tools.has("readelf")) {
            return;
        }
        String l = Tools.run("readelf", "-lW", p.toString()).orElseThrow();
        List<String[]> rows = new ArrayList<>();
        boolean in = false;
        for (String line : l.split("\n")) {
            if (line.contains("Type") && line.contains("Offset") && line.contains("VirtAddr")) {
                in = true;
                continue;
            }
            if (in && line.isBlank()) {
                break;
            }
            if (in && !line.trim().startsWith("[")) {
                rows.add(line.trim().split("\\s+"));
            }
        }
        assertEquals(rows.size(), e.programHeaders().size(), p + ": program header count");
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            ProgramHeader ph = e.programHeaders().get(i);
            if (ph.typeName().startsWith("PT_")) {
                assertEquals(r[0], ph.typeName().substring(3), p + " phdr " + i);
            }
            assertEquals(Long.parseUnsignedLong(r[1].substring(2), 16), ph.offset(), p + " phdr " + i + " offset");
            assertEquals(Long.parseUnsignedLong(r[2].substring(2), 16), ph.vaddr(), p + " phdr " + i + " vaddr");
            assertEquals(Long.parseUnsignedLong(r[4].substring(2), 16), ph.filesz(), p + " phdr " + i + " filesz");
            assertEquals(Long.parseUnsignedLong(r[5].substring(2), 16), ph.memsz(), p + " phdr " + i + " memsz");
            String flg = String.join("", List.of(r).subList(6, r.length - 1));
            assertEquals(flg.replace("E", "X"), ph.flagsString().replace("-", ""), p + " phdr " + i + " flags");
        }

        String s = Tools.run("readelf", "-SW", p.toString()).orElseThrow();
        int checked = 0;
        for (String line : s.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("[") || t.startsWith("[Nr]")) {
                continue;
            }
            int idx = Integer.parseInt(t.substring(1, t.indexOf(']')).trim());
            String[] f = t.substring(t.indexOf(']') + 1).trim().split("\\s+");
            if (idx == 0) {
                continue;
            }
            Section sec = e.sections().get(idx);
            assertEquals(f[0], sec.name(), p + " section " + idx);
            assertEquals(Long.parseUnsignedLong(f[2], 16), sec.addr(), p + " " + sec.name() + " addr");
            assertEquals(Long.parseUnsignedLong(f[3], 16), sec.offset(), p + " " + sec.name() + " offset");
            assertEquals(Long.parseUnsignedLong(f[4], 16), sec.size(), p + " " + sec.name() + " size");
            assertEquals(f[1].equals("NOBITS"), sec.nobits(), p + " " + sec.name() + " type");
            checked++;
        }
        assertEquals(e.sections().size() - (e.sections().isEmpty() ? 0 : 1), checked, p + ": section count");

        String n = Tools.run("readelf", "-n", p.toString()).orElseThrow();
        int at = n.indexOf("Build ID: ");
        if (at < 0) {
            assertEquals(Optional.empty(), e.buildId(), p + ": readelf shows no build-id");
        } else {
            String id = n.substring(at + 10).split("\\s")[0];
            assertEquals(Optional.of(id), e.buildId(), p + ": build-id");
        }
    }

    static Section section(ElfFile e, String name) {
        return e.sections().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(e.name() + " has no " + name));
    }

    @Test
    void rejectsNonElf32BitBigEndianAndTruncatedWithOneLineNamingTheFile() throws Exception {
        byte[] real = Files.readAllBytes(javaExe());
        BadInput notElf = assertThrows(BadInput.class,
                () -> ElfFile.parse("#!/bin/sh\necho hi\n".getBytes(), "script.sh"));
        assertTrue(notElf.getMessage().startsWith("script.sh: not an ELF file"), notElf.getMessage());

        byte[] c32 = real.clone();
        c32[4] = 1;
        assertTrue(assertThrows(BadInput.class, () -> ElfFile.parse(c32, "x32")).getMessage().contains("32-bit"));
        byte[] be = real.clone();
        be[5] = 2;
        assertTrue(assertThrows(BadInput.class, () -> ElfFile.parse(be, "xbe")).getMessage().contains("big-endian"));
        for (int len : new int[] {0, 3, 15, 40, 63, 100}) {
            byte[] cut = java.util.Arrays.copyOf(real, len);
            BadInput b = assertThrows(BadInput.class, () -> ElfFile.parse(cut, "cut" + len));
            assertTrue(b.getMessage().startsWith("cut" + len + ": "), b.getMessage());
            assertFalse(b.getMessage().contains("\n"), "one line");
        }
        Path dir = Files.createTempDirectory(tmp, "nx");
        assertThrows(BadInput.class, () -> ElfFile.read(dir.resolve("missing")));
        // A real non-ELF file read through the channel path.
        Path txt = Files.writeString(dir.resolve("data.txt"), "plain text, long enough to hold an ELF ident");
        assertTrue(assertThrows(BadInput.class, () -> ElfFile.read(txt)).getMessage().contains(txt.toString()));
    }

    /** Headers are read by position: a 4 GiB (sparse) file costs a few kilobytes, not gigabytes. */
    @Test
    void readsOnlyHeadersOfAHugeFile() throws Exception {
        Path big = tmp.resolve("huge.so");
        Files.copy(javaExe(), big);
        ElfFile before = ElfFile.read(big);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        long allocated = allocated(() -> ElfFile.read(big));
        ElfFile after = ElfFile.read(big);
        assertEquals(4L << 30, after.fileSize());
        assertEquals(before.programHeaders(), after.programHeaders());
        assertEquals(before.sections(), after.sections());
        assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes reading a 4 GiB file");
        Files.delete(big);
    }

    /**
     * Seeded mutations of real ELF headers (truncation, byte flips, huge counts and offsets): each parse returns a
     * result or throws BadInput, and allocates a bounded amount.
     */
    @Test
    void mutationFuzzYieldsOnlyResultsOrBadInputWithBoundedAllocation() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Files.readAllBytes(javaExe()));
        if (tiny != null) {
            seeds.add(Files.readAllBytes(tiny));
        }
        Random rnd = new Random(0x5eed_e1f);
        int ok = 0;
        int bad = 0;
        long maxAlloc = 0;
        for (int iter = 0; iter < 3000; iter++) {
            byte[] img = seeds.get(iter % seeds.size()).clone();
            ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getLong(40);
            long phoff = b.getLong(32);
            int mutations = 1 + rnd.nextInt(4);
            for (int k = 0; k < mutations; k++) {
                switch (rnd.nextInt(9)) {
                    case 0 -> img[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
                    case 1 -> b.putShort(56, (short) (rnd.nextBoolean() ? 0xffff : rnd.nextInt(0x10000)));
                    case 2 -> b.putShort(60, (short) (rnd.nextBoolean() ? 0 : rnd.nextInt(0x10000)));
                    case 3 -> b.putLong(rnd.nextBoolean() ? 32 : 40, hugeOffset(rnd, img.length));
                    case 4 -> b.putShort(62, (short) rnd.nextInt(0x10000));
                    case 5 -> { // corrupt a random field of a section header
                        long at = shoff + 64L * rnd.nextInt(40) + 8L * rnd.nextInt(8);
                        if (at >= 0 && at + 8 <= img.length) {
                            b.putLong((int) at, rnd.nextBoolean() ? hugeOffset(rnd, img.length) : rnd.nextLong());
                        }
                    }
                    case 6 -> { // corrupt a random field of a program header
                        long at = phoff + 56L * rnd.nextInt(14) + 8L * rnd.nextInt(7);
                        if (at >= 0 && at + 8 <= img.length) {
                            b.putLong((int) at, rnd.nextBoolean() ? hugeOffset(rnd, img.length) : rnd.nextLong());
                        }
                    }
                    case 7 -> { // flip bytes anywhere in the header tables
                        for (int j = 0; j < 16; j++) {
                            int at = rnd.nextBoolean() ? (int) Math.min(phoff + rnd.nextInt(800), img.length - 1)
                                    : (int) Math.min(Math.max(0, shoff) + rnd.nextInt(2000), img.length - 1);
                            img[Math.max(0, at)] ^= (byte) rnd.nextInt(256);
                        }
                    }
                    default -> b.putShort(54 + 4 * rnd.nextInt(2), (short) rnd.nextInt(0x10000)); // entsizes
                }
            }
            int len = rnd.nextInt(5) == 0 ? rnd.nextInt(img.length + 1) : img.length;
            ByteBuffer input = ByteBuffer.wrap(img, 0, len);
            String label = "fuzz" + iter;
            long[] result = new long[1];
            long a;
            try {
                a = allocated(() -> {
                    try {
                        ElfFile.parse(input, label);
                        result[0] = 1;
                    } catch (BadInput e) {
                        result[0] = 2;
                        assertTrue(e.getMessage().startsWith("fuzz"), e.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                fail("iteration " + iter + " threw " + e, e);
                return;
            }
            maxAlloc = Math.max(maxAlloc, a);
            if (result[0] == 1) {
                ok++;
            } else {
                bad++;
            }
        }
        assertTrue(ok > 0 && bad > 0, "mutations produced both outcomes: ok=" + ok + " bad=" + bad);
        // Caps: 1 MiB per table; a parse never needs more than a few of them.
        assertTrue(maxAlloc < 8 << 20, "a parse allocated " + maxAlloc + " bytes");
    }

    private static long hugeOffset(Random rnd, int size) {
        switch (rnd.nextInt(5)) {
            case 0:
                return -1L;
            case 1:
                return Long.MAX_VALUE;
            case 2:
                return size - 1 - rnd.nextInt(8);
            case 3:
                return 0x8000_0000L + rnd.nextInt(1000);
            default:
                return (long) size * (2 + rnd.nextInt(4));
        }
    }

    static long allocated(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }
}
