package dev.inspector.core.analysis;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.elf.ElfCache;
import dev.inspector.core.elf.MappedElf;
import dev.inspector.core.elf.Tools;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.procfs.ProcFs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The classification of ELF images built here with the linker's layout options, checked against an independent
 * oracle: the program and section headers as {@code readelf -lSW} prints them, placed at the load bias the running
 * program reports itself ({@code dl_iterate_phdr}'s dlpi_addr), over the mappings the kernel lists. For every mapping
 * of the executable and the library (and the anonymous .bss line after each), the sections it overlaps and the kind
 * its segment and permissions make must be what the classifier says.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class LinkerLayoutsLiveTest {

    static final String PROGRAM = """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <link.h>
            #include <signal.h>
            #include <stdio.h>
            #ifndef BSS_SIZE
            #define BSS_SIZE 5000
            #endif
            static char big_bss[BSS_SIZE];
            int data_v = 3;
            const char ro[] = "read-only";
            static int each(struct dl_phdr_info *i, size_t size, void *d) {
                (void) size; (void) d;
                printf("obj %lx %s\\n", (unsigned long) i->dlpi_addr, i->dlpi_name[0] ? i->dlpi_name : "-");
                return 0;
            }
            int main(int argc, char **argv) {
                big_bss[1] = 1;
                if (argc > 1 && !dlopen(argv[1], RTLD_NOW)) { printf("error %s\\n", dlerror()); return 3; }
                dl_iterate_phdr(each, 0);
                printf("ready\\n");
                fflush(stdout);
                raise(SIGSTOP);
                return data_v + ro[0] + big_bss[2];
            }
            """;

    static final String LIBRARY = """
            #ifndef BSS_SIZE
            #define BSS_SIZE 5000
            #endif
            int lib_data = 5;
            static char lib_bss[BSS_SIZE];
            const char lib_ro[] = "library read-only";
            int lib_fn(int x) { lib_bss[x] = 1; return x + lib_data + lib_ro[0]; }
            """;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void tools() {
        assumeTrue(Tools.has("gcc") && Tools.has("readelf"), "gcc and readelf needed");
    }

    /** Linker layouts: the name picks the flags (and whether there is a library: not for static executables). */
    static String[] flags(String variant) {
        switch (variant) {
            case "separate-code":
                return new String[] {"-Wl,-z,separate-code"};
            case "noseparate-code":
                return new String[] {"-Wl,-z,noseparate-code"};
            case "noseparate-code-norelro":
                return new String[] {"-Wl,-z,noseparate-code", "-Wl,-z,norelro"};
            case "noseparate-code-no-pie":
                return new String[] {"-Wl,-z,noseparate-code", "-no-pie"};
            case "norelro":
                return new String[] {"-Wl,-z,norelro"};
            case "now":
                return new String[] {"-Wl,-z,now"};
            case "large-bss":
                return new String[] {"-DBSS_SIZE=(64<<20)"};
            case "max-page-size-64k":
                return new String[] {"-Wl,-z,max-page-size=65536"};
            case "max-page-size-2m":
                return new String[] {"-Wl,-z,max-page-size=0x200000"};
            case "static":
                return new String[] {"-static"};
            case "static-pie":
                return new String[] {"-static-pie"};
            default:
                throw new IllegalArgumentException(variant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"separate-code", "noseparate-code", "noseparate-code-norelro", "noseparate-code-no-pie",
            "norelro", "now", "large-bss", "max-page-size-64k", "max-page-size-2m", "static", "static-pie"})
    void classificationMatchesReadelf(String variant) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(variant));
        String[] f = flags(variant);
        boolean isStatic = variant.startsWith("static");
        Path exe = Tools.gcc(dir, "prog", PROGRAM, f).orElse(null);
        assumeTrue(exe != null, "gcc could not build " + variant);
        Path lib = null;
        if (!isStatic) {
            List<String> lf = new ArrayList<>(List.of("-shared", "-fPIC"));
            for (String x : f) {
                if (!x.equals("-no-pie")) {
                    lf.add(x);
                }
            }
            lib = Tools.gcc(dir, "libtest.so", LIBRARY, lf.toArray(String[]::new)).orElseThrow();
        }
        List<String> cmd = new ArrayList<>(List.of(exe.toString()));
        if (lib != null) {
            cmd.add(lib.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Map<String, Long> bias = new HashMap<>();
            for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
                assertFalse(line.startsWith("error"), line);
                String[] w = line.split(" ", 3);
                bias.put(w[2], Long.parseUnsignedLong(w[1], 16));
            }
            int pid = (int) p.pid();
            waitStopped(pid);
            List<Mapping> maps = ProcFs.system().maps(pid);
            String exePath = exe.toRealPath().toString();
            List<Region> regions = Classifier.classify(new ClassifierInput(maps, exePath,
                    new MappedElf(ProcFs.system().pidDir(pid), exePath, new ElfCache()), Map.of(), pid, 0, 0, 4096));

            List<String> wrong = new ArrayList<>();
            int checked = check(regions, exePath, Readelf.of(exe), bias.get("-"), wrong);
            if (lib != null) {
                checked += check(regions, lib.toString(), Readelf.of(lib), bias.get(lib.toString()), wrong);
            }
            assertTrue(wrong.isEmpty(), variant + ":\n" + String.join("\n", wrong));
            assertTrue(checked >= (lib == null ? 2 : 4), variant + ": only " + checked + " mappings checked");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    /** Compares each mapping of {@code path} (and the anonymous line after its last one) with the oracle. */
    private static int check(List<Region> regions, String path, Readelf elf, Long bias, List<String> wrong) {
        assertTrue(bias != null, "dl_iterate_phdr reported " + path);
        int checked = 0;
        int last = -1;
        for (int i = 0; i < regions.size(); i++) {
            Mapping m = regions.get(i).mapping();
            if (m.path().isFile() && m.path().name().equals(path)) {
                compare(regions.get(i), expectedKind(m, elf, bias), elf.sectionsIn(m.start() - bias, m.end() - bias),
                        wrong);
                checked++;
                last = i;
            }
        }
        if (last >= 0 && last + 1 < regions.size()) {
            Region next = regions.get(last + 1);
            Mapping m = next.mapping();
            Readelf.Load rw = elf.loads.stream().filter(l -> l.flags.contains("W")).reduce((a, b) -> b).orElse(null);
            if (rw != null && m.path().type() == MappingPath.Type.ANONYMOUS && m.start()
                    == regions.get(last).mapping().end() && m.perms().write()) {
                long memEnd = bias + pageUp(rw.vaddr + rw.memsz);
                if (Long.compareUnsigned(m.end(), memEnd) <= 0) {
                    compare(next, RegionKind.BSS, elf.sectionsIn(m.start() - bias, m.end() - bias), wrong);
                    checked++;
                } else if (Long.compareUnsigned(m.start(), memEnd) < 0) {
                    // The .bss tail merged with other anonymous memory: anonymous, naming only what lies in it.
                    compare(next, RegionKind.ANONYMOUS, elf.sectionsIn(m.start() - bias, m.end() - bias), wrong);
                    checked++;
                } else {
                    // Not this image's memory at all: it must not be given the image's sections.
                    if (!next.sections().isEmpty()) {
                        wrong.add(m.toMapsLine() + ": lists " + next.sections() + " past " + path + "'s memsz");
                    }
                }
            }
        }
        return checked;
    }

    private static void compare(Region r, RegionKind kind, List<String> sections, List<String> wrong) {
        if (r.kind() != kind || !r.sections().equals(sections)) {
            wrong.add(r.mapping().toMapsLine() + "\n    classifier: " + r.kind() + " " + r.sections() + "  ("
                    + r.evidence() + ")\n    readelf:    " + kind + " " + sections);
        }
    }

    /** The kind the segment and the permissions make, from readelf's program headers. */
    private static RegionKind expectedKind(Mapping m, Readelf elf, long bias) {
        if (m.perms().none()) {
            return RegionKind.RESERVED;
        }
        long vstart = m.start() - bias;
        long vend = m.end() - bias;
        if (m.perms().exec()) {
            return RegionKind.TEXT;
        }
        if (m.perms().write()) {
            return RegionKind.DATA;
        }
        boolean inWritable = elf.loads.stream().anyMatch(l -> l.flags.contains("W")
                && overlaps(vstart, vend, pageDown(l.vaddr), pageUp(l.vaddr + l.memsz)));
        if (inWritable) {
            boolean relro = elf.relro != null && overlaps(vstart, vend, pageDown(elf.relro.vaddr),
                    pageDown(elf.relro.vaddr + elf.relro.memsz));
            return relro ? RegionKind.RELRO : RegionKind.RODATA;
        }
        return m.offset() == 0 ? RegionKind.ELF_HEADER : RegionKind.RODATA;
    }

    static boolean overlaps(long a, long b, long c, long d) {
        return Long.compareUnsigned(a, d) < 0 && Long.compareUnsigned(c, b) < 0;
    }

    static long pageDown(long v) {
        return v & -4096L;
    }

    static long pageUp(long v) {
        return (v + 4095) & -4096L;
    }

    private static void waitStopped(int pid) throws Exception {
        for (int i = 0; i < 500; i++) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("T")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(pid + " did not stop");
    }

    /** What {@code readelf -lSW} prints: PT_LOAD and PT_GNU_RELRO rows, and the sections. */
    static final class Readelf {
        record Load(long offset, long vaddr, long filesz, long memsz, String flags) {
        }

        record Section(String name, String type, long addr, long size, String flags) {
        }

        final List<Load> loads = new ArrayList<>();
        Load relro;
        final List<Section> sections = new ArrayList<>();

        static Readelf of(Path file) throws Exception {
            Readelf r = new Readelf();
            String text = Tools.run("readelf", "-lSW", file.toString()).orElseThrow();
            for (String line : text.split("\n")) {
                String t = line.trim();
                String[] w = t.split("\\s+");
                if ((w[0].equals("LOAD") || w[0].equals("GNU_RELRO")) && w.length >= 8) {
                    // Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg(1-3 words: "R E") Align
                    String flg = String.join("", List.of(w).subList(6, w.length - 1));
                    Load l = new Load(hex(w[1]), hex(w[2]), hex(w[4]), hex(w[5]), flg.replace("E", "X"));
                    if (w[0].equals("LOAD")) {
                        r.loads.add(l);
                    } else {
                        r.relro = l;
                    }
                } else if (t.startsWith("[") && !t.startsWith("[Nr]")) {
                    String[] f = t.substring(t.indexOf(']') + 1).trim().split("\\s+");
                    if (f.length < 7 || f[1].equals("NULL")) {
                        continue;
                    }
                    // Name Type Address Off Size ES [Flg] Lk Inf Al: the flags column may be empty.
                    String flags = f.length >= 10 ? f[6] : "";
                    r.sections.add(new Section(f[0], f[1], hex(f[2]), hex(f[4]), flags));
                }
            }
            assertFalse(r.loads.isEmpty(), file + ": no LOAD rows in readelf's output");
            return r;
        }

        /** SHF_ALLOC sections with bytes in memory overlapping [vstart, vend), in header order (.tbss excluded). */
        List<String> sectionsIn(long vstart, long vend) {
            List<String> out = new ArrayList<>();
            for (Section s : sections) {
                if (!s.flags.contains("A") || s.size == 0 || (s.flags.contains("T") && s.type.equals("NOBITS"))) {
                    continue;
                }
                if (overlaps(vstart, vend, s.addr, s.addr + s.size)) {
                    out.add(s.name);
                }
            }
            return out;
        }

        private static long hex(String s) {
            return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
        }
    }
}
