package dev.inspector.core.analysis;

import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.elf.Tools;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Unprivileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@LiveTest
class KernelLayoutBuilderTest {

    @TempDir
    Path tmp;

    static KernelRegion region(List<KernelRegion> rs, String name) {
        return rs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static void assertRegion(List<KernelRegion> rs, String name, long start, long last) {
        KernelRegion r = region(rs, name);
        assertEquals(Long.toHexString(start), Long.toHexString(r.start()), name + " start");
        assertEquals(Long.toHexString(last), Long.toHexString(r.end()), name + " end");
    }

    /** Boundaries and sizes from the two tables of Documentation/arch/x86/x86_64/mm.rst. */
    @Test
    void fourLevelMatchesTheDocumentation() {
        List<KernelRegion> rs = KernelLayoutBuilder.documented(4);
        assertRegion(rs, "guard hole", 0xffff800000000000L, 0xffff87ffffffffffL);
        assertRegion(rs, "LDT remap", 0xffff880000000000L, 0xffff887fffffffffL);
        assertRegion(rs, "direct map", 0xffff888000000000L, 0xffffc87fffffffffL);
        assertEquals(64L << 40, size(region(rs, "direct map")), "64 TB direct mapping");
        assertRegion(rs, "vmalloc/ioremap", 0xffffc90000000000L, 0xffffe8ffffffffffL);
        assertEquals(32L << 40, size(region(rs, "vmalloc/ioremap")), "32 TB vmalloc (VmallocTotal)");
        assertRegion(rs, "vmemmap", 0xffffea0000000000L, 0xffffeaffffffffffL);
        assertRegion(rs, "KASAN shadow", 0xffffec0000000000L, 0xfffffbffffffffffL);
        commonTail(rs);
        wellFormed(rs);
    }

    @Test
    void fiveLevelMatchesTheDocumentation() {
        List<KernelRegion> rs = KernelLayoutBuilder.documented(5);
        assertRegion(rs, "guard hole", 0xff00000000000000L, 0xff0fffffffffffffL);
        assertRegion(rs, "LDT remap", 0xff10000000000000L, 0xff10ffffffffffffL);
        assertRegion(rs, "direct map", 0xff11000000000000L, 0xff90ffffffffffffL);
        assertEquals(32L << 50, size(region(rs, "direct map")), "32 PB direct mapping");
        assertRegion(rs, "vmalloc/ioremap", 0xffa0000000000000L, 0xffd1ffffffffffffL);
        assertEquals((25L << 50) / 2, size(region(rs, "vmalloc/ioremap")), "12.5 PB vmalloc");
        assertRegion(rs, "vmemmap", 0xffd4000000000000L, 0xffd5ffffffffffffL);
        assertRegion(rs, "KASAN shadow", 0xffdf000000000000L, 0xfffffbffffffffffL);
        commonTail(rs);
        wellFormed(rs);
        assertThrows(IllegalArgumentException.class, () -> KernelLayoutBuilder.documented(3));
    }

    private static void commonTail(List<KernelRegion> rs) {
        assertRegion(rs, "cpu_entry_area", 0xfffffe0000000000L, 0xfffffe7fffffffffL);
        assertRegion(rs, "%esp fixup stacks", 0xffffff0000000000L, 0xffffff7fffffffffL);
        assertRegion(rs, "EFI region", 0xffffffef00000000L, 0xfffffffeffffffffL);
        assertEquals(64L << 30, size(region(rs, "EFI region")));
        assertRegion(rs, "kernel text", 0xffffffff80000000L, 0xffffffff9fffffffL);
        assertEquals(512L << 20, size(region(rs, "kernel text")));
        assertRegion(rs, "modules", 0xffffffffa0000000L, 0xfffffffffeffffffL);
        assertEquals(1520L << 20, size(region(rs, "modules")));
        assertRegion(rs, "vsyscall", 0xffffffffff600000L, 0xffffffffff600fffL);
        KernelRegion fix = region(rs, "fixmap");
        assertEquals(0xffffffffff5fffffL, fix.end());
    }

    private static long size(KernelRegion r) {
        return r.end() - r.start() + 1;
    }

    /** Sorted, non-overlapping, all in the kernel half. */
    private static void wellFormed(List<KernelRegion> rs) {
        for (int i = 0; i < rs.size(); i++) {
            KernelRegion r = rs.get(i);
            assertTrue(r.start() < 0, r.name() + " is in the upper (kernel) half");
            assertTrue(Long.compareUnsigned(r.start(), r.end()) <= 0, r.name());
            if (i > 0) {
                assertTrue(Long.compareUnsigned(rs.get(i - 1).end(), r.start()) < 0, r.name() + " after "
                        + rs.get(i - 1).name());
            }
        }
        assertEquals(-1L, rs.get(rs.size() - 1).end(), "the table reaches 2^64 - 1");
    }

    /** _text as /proc/kallsyms shows it to the reader, looked up independently of the builder's streaming parser. */
    private static Optional<Long> kallsymsText(Path kallsyms) throws IOException {
        try (Stream<String> lines = Files.lines(kallsyms)) {
            return lines.map(l -> l.split("\\s+")).filter(f -> f.length >= 3 && f[2].equals("_text")).findFirst()
                    .map(f -> Long.parseUnsignedLong(f[0], 16));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void liveAnnotationAgreesWithKallsymsIomemAndMaps() throws Exception {
        boolean la57 = Files.readString(Path.of("/proc/cpuinfo")).contains(" la57");
        int levels = la57 ? 5 : 4;
        List<Mapping> maps = ProcFs.system().maps((int) ProcessHandle.current().pid());
        KernelLayout k = new KernelLayoutBuilder(ProcFs.system()).build(levels, maps);
        assertEquals(levels, k.pagingLevels());
        assertFalse(k.kaslrEvidence().isBlank());

        Optional<Long> text = Files.isReadable(Path.of("/proc/kallsyms")) ? kallsymsText(Path.of("/proc/kallsyms"))
                : Optional.empty();
        if (text.isPresent() && text.get() != 0) {
            assertEquals(text.get(), k.kernelText());
            assertEquals(text.get() != KernelLayoutBuilder.DEFAULT_KERNEL_TEXT, k.kaslr());
            assertTrue(region(k.regions(), "kernel text").observed().contains(Long.toHexString(text.get())));
            KernelRegion textRegion = region(k.regions(), "kernel text");
            assertTrue(Long.compareUnsigned(text.get(), textRegion.start()) >= 0, "the kernel text lies in the "
                    + "documented text mapping");
        } else {
            assertNull(k.kernelText());
            assertTrue(region(k.regions(), "kernel text").observed().startsWith("hidden")
                    || region(k.regions(), "kernel text").observed().startsWith("no "));
        }
        boolean vsyscall = maps.stream().anyMatch(m -> m.path().toString().equals("[vsyscall]"));
        assertEquals(vsyscall, region(k.regions(), "vsyscall").observed().startsWith("[vsyscall] is in"));

        String iomem = Files.isReadable(Path.of("/proc/iomem")) ? Files.readString(Path.of("/proc/iomem")) : "";
        long ramLines = iomem.lines().filter(l -> l.endsWith(" : System RAM") && !l.startsWith(" ")
                && !l.startsWith("00000000-00000000")).count();
        assertEquals(ramLines, k.ram().size());
    }

    /**
     * The non-root view: captured live as an ordinary user (uid 65534 when we are root, else ourselves), so the zeros
     * are the kernel's own.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void unprivilegedViewSaysHiddenNotZero() throws Exception {
        assumeTrue(Unprivileged.prefix().isPresent(), Unprivileged::whyNot);
        Path root = Files.createDirectories(tmp.resolve("proc"));
        String ks = Tools.run(Unprivileged.command("head", "-n", "2000", "/proc/kallsyms").toArray(String[]::new))
                .orElseThrow();
        String io = Tools.run(Unprivileged.command("cat", "/proc/iomem").toArray(String[]::new)).orElseThrow();
        Files.writeString(root.resolve("kallsyms"), ks);
        Files.writeString(root.resolve("iomem"), io);
        Files.writeString(root.resolve("cmdline"), "console=ttyS0 quiet\n");
        assumeTrue(kallsymsText(root.resolve("kallsyms")).orElse(-1L) == 0, "kptr_restrict lets nobody see addresses");

        KernelLayout k = new KernelLayoutBuilder(new ProcFs(root)).build(4, null);
        assertNull(k.kernelText());
        assertNull(k.kaslr(), "unknown, not guessed");
        assertTrue(k.kaslrEvidence().contains("kptr_restrict"), k.kaslrEvidence());
        assertTrue(region(k.regions(), "kernel text").observed().startsWith("hidden: kptr_restrict"));
        assertEquals(List.of(), k.ram());
        assertTrue(region(k.regions(), "direct map").observed().contains("hidden"));
        assertEquals("maps not given", region(k.regions(), "vsyscall").observed());
        assertTrue(region(k.regions(), "modules").observed().startsWith("no "));

        // The same view with nokaslr on the command line: KASLR is known to be off even though _text is hidden.
        Files.writeString(root.resolve("cmdline"), "quiet nokaslr -- --init-arg\n");
        KernelLayout off = new KernelLayoutBuilder(new ProcFs(root)).build(4, null);
        assertEquals(Boolean.FALSE, off.kaslr());
        assertTrue(off.kaslrEvidence().startsWith("nokaslr"));
    }

    @Test
    void kaslrDecisionFromTextAddressAndCmdline() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("proc2"));
        Files.writeString(root.resolve("kallsyms"), """
                0000000000000000 A fixed_percpu_data
                ffffffff9c400000 T startup_64
                ffffffff9c400000 T _text
                ffffffff9c400040 T secondary_startup_64
                """);
        Files.writeString(root.resolve("iomem"), """
                00000000-00000fff : Reserved
                00001000-0009fbff : System RAM
                00100000-bfffffff : System RAM
                  01000000-02209987 : Kernel code
                100000000-63fffffff : System RAM
                """);
        Files.writeString(root.resolve("cmdline"), "quiet -- nokaslr\n");
        KernelLayout k = new KernelLayoutBuilder(new ProcFs(root)).build(5, List.of());
        assertEquals(0xffffffff9c400000L, k.kernelText());
        assertEquals(Boolean.TRUE, k.kaslr(), "nokaslr after -- belongs to init, not the kernel");
        assertEquals(List.of(new KernelLayout.RamRange(0x1000, 0x9fbff, "System RAM"),
                new KernelLayout.RamRange(0x100000, 0xbfffffffL, "System RAM"),
                new KernelLayout.RamRange(0x100000000L, 0x63fffffffL, "System RAM")), k.ram());
        assertTrue(region(k.regions(), "vsyscall").observed().startsWith("no [vsyscall]"));

        long[] out = new long[1];
        assertTrue(dev.inspector.core.procfs.parse.KallsymsParser.findText(new ByteArrayInputStream(
                "ffffffff81000000 T _text".getBytes(StandardCharsets.US_ASCII)), out), "last line without newline");
        assertEquals(KernelLayoutBuilder.DEFAULT_KERNEL_TEXT, out[0]);
        assertFalse(dev.inspector.core.procfs.parse.KallsymsParser.findText(new ByteArrayInputStream(
                "ffffffff81000000 T _text_end\nffffffffc0000000 t _text\t[mod]x\n".getBytes(StandardCharsets.US_ASCII)),
                out));
    }
}
