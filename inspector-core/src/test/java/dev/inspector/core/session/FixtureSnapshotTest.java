package dev.inspector.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full snapshots (kernel layout and threads, no residency) built by {@code Host.fixture} from each captured tree, checked
 * against the captured text itself, read here with the plainest parsing (no inspector parser), so a reader or builder
 * that drops, reorders or misreads a line fails.
 */
class FixtureSnapshotTest {

    static List<String> trees() {
        return Fixtures.trees();
    }

    @Test
    void bothCapturedTreesAreThere() {
        assertTrue(trees().containsAll(List.of("sleep", "tricky")), trees().toString());
    }

    @ParameterizedTest
    @MethodSource("trees")
    void mappingsAreTheCapturedMapsLinesWithTheirKinds(String tree) throws IOException {
        Snapshot s = Fixtures.snapshot(tree);
        List<String> maps = lines(Fixtures.pidDir(tree).resolve("maps"));
        assertEquals(maps.size(), s.regions().size(), "one region per line of the captured maps");
        int pid = Fixtures.pid(tree);
        int wellKnown = 0;
        for (int i = 0; i < maps.size(); i++) {
            String[] f = maps.get(i).split("\\s+", 6);
            String[] range = f[0].split("-");
            Region r = s.regions().get(i);
            assertEquals(Long.parseUnsignedLong(range[0], 16), r.mapping().start(), maps.get(i));
            assertEquals(Long.parseUnsignedLong(range[1], 16), r.mapping().end(), maps.get(i));
            assertEquals(f[1], r.mapping().perms().toString(), maps.get(i));
            assertNotNull(r.smaps(), "smaps figures of " + maps.get(i));
            RegionKind expected = wellKnownKind(f.length == 6 ? f[5] : "", f[1]);
            if (expected != null) {
                wellKnown++;
                assertEquals(expected, r.kind(), maps.get(i));
            }
            if (expected == RegionKind.STACK) {
                assertEquals(pid, r.tid(), "[stack] belongs to the main thread");
            }
        }
        assertTrue(wellKnown >= 5, "heap, stack, vdso, vvar, vsyscall at least: " + wellKnown);
    }

    /** The kind the kernel's own name for a mapping implies, or null where the classifier must weigh evidence. */
    private static RegionKind wellKnownKind(String name, String perms) {
        switch (name) {
            case "[heap]":
                return RegionKind.HEAP;
            case "[stack]":
                return RegionKind.STACK;
            case "[vdso]":
                return RegionKind.VDSO;
            case "[vvar]":
                return RegionKind.VVAR;
            case "[vvar_vclock]":
                return RegionKind.VVAR_VCLOCK;
            case "[vsyscall]":
                return RegionKind.VSYSCALL;
            case "/dev/zero (deleted)":
                return perms.charAt(3) == 's' ? RegionKind.SHARED_ANONYMOUS : null;
            default:
                if (name.startsWith("/memfd:")) {
                    return RegionKind.MEMFD;
                }
                return name.startsWith("/SYSV") ? RegionKind.SYSV_SHM : null;
        }
    }

    @ParameterizedTest
    @MethodSource("trees")
    void rollupIsTheCapturedSmapsRollup(String tree) throws IOException {
        Snapshot s = Fixtures.snapshot(tree);
        Map<String, Long> kb = new HashMap<>();
        for (String l : lines(Fixtures.pidDir(tree).resolve("smaps_rollup"))) {
            String[] f = l.trim().split("\\s+");
            if (f.length == 3 && f[2].equals("kB")) {
                kb.put(f[0].substring(0, f[0].length() - 1), Long.parseLong(f[1]));
            }
        }
        assertTrue(kb.size() > 10, "fields of the captured rollup: " + kb.keySet());
        for (Map.Entry<String, Long> e : kb.entrySet()) {
            assertEquals(e.getValue() * 1024, s.rollup().get(e.getKey()), e.getKey());
        }
        assertEquals(kb.get("Rss") * 1024, s.rollup().rss());
        assertEquals(kb.get("Pss") * 1024, s.rollup().pss());
        assertEquals(kb.get("Swap") * 1024, s.rollup().swap());
    }

    @ParameterizedTest
    @MethodSource("trees")
    void threadsAreTheCapturedTaskDirectories(String tree) throws IOException {
        Snapshot s = Fixtures.snapshot(tree);
        Path task = Fixtures.pidDir(tree).resolve("task");
        List<Integer> tids;
        try (Stream<Path> l = Files.list(task)) {
            tids = l.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        }
        assertEquals(tids, s.threads().stream().map(ThreadInfo::tid).toList());
        assertEquals(tids.size(), s.process().threadCount());
        int pid = Fixtures.pid(tree);
        for (ThreadInfo t : s.threads()) {
            Path dir = task.resolve(Integer.toString(t.tid()));
            assertEquals(Files.readString(dir.resolve("comm")).strip(), t.comm());
            String stat = Files.readString(dir.resolve("stat"));
            assertEquals(stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3), t.state());
            String[] sc = Files.readString(dir.resolve("syscall")).trim().split(" ");
            if (sc[0].equals("running")) {
                assertNull(t.stackPointer());
                continue;
            }
            long sp = Long.parseUnsignedLong(sc[sc.length - 2].substring(2), 16);
            assertEquals(sp, t.stackPointer());
            assertEquals(Long.parseUnsignedLong(sc[sc.length - 1].substring(2), 16), t.programCounter());
            Region stack = s.regions().stream().filter(r -> Long.compareUnsigned(r.mapping().start(), sp) <= 0
                    && Long.compareUnsigned(sp, r.mapping().end()) < 0).findFirst().orElseThrow();
            assertEquals(stack.mapping().start(), t.stackMappingStart());
            assertEquals(t.tid() == pid ? RegionKind.STACK : RegionKind.THREAD_STACK, stack.kind(),
                    "the mapping holding the SP of " + t.tid());
            assertEquals(t.tid(), stack.tid());
        }
    }

    @ParameterizedTest
    @MethodSource("trees")
    void processAndHostAreTheCapturedFiles(String tree) throws IOException {
        Snapshot s = Fixtures.snapshot(tree);
        Path dir = Fixtures.pidDir(tree);
        Path proc = Fixtures.proc(tree);
        assertEquals(Fixtures.capturedAt(tree), s.takenAt());
        assertEquals(Fixtures.pid(tree), s.process().pid());
        assertEquals(Files.readString(dir.resolve("comm")).strip(), s.process().comm());
        String cmdline = Files.readString(dir.resolve("cmdline"));
        assertEquals(List.of(cmdline.substring(0, cmdline.length() - 1).split("\0")), s.process().cmdline());
        String exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
        assertEquals(exe, s.process().exe());
        String stat = Files.readString(dir.resolve("stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        assertEquals(Long.parseLong(after[22 - 3]), s.process().startTime());
        assertEquals(Long.parseLong(after[47 - 3]), s.bases().heapStart());
        long persona = Long.parseLong(Files.readString(dir.resolve("personality")).trim(), 16);
        assertEquals((persona & 0x0040000) != 0, s.bases().personalityNoRandomize(), "ADDR_NO_RANDOMIZE");
        Long exeBase = null;
        for (String l : lines(dir.resolve("maps"))) {
            String[] f = l.split("\\s+", 6);
            if (f.length == 6 && f[5].equals(exe) && Long.parseLong(f[2], 16) == 0) {
                exeBase = Long.parseUnsignedLong(f[0].split("-")[0], 16);
                break;
            }
        }
        assertNotNull(exeBase, "the executable's first mapping in the captured maps");
        assertEquals(exeBase, s.bases().exeBase());

        assertEquals(Files.readString(proc.resolve("sys/kernel/osrelease")).strip(), s.host().kernelRelease());
        assertEquals(Integer.parseInt(Files.readString(proc.resolve("sys/kernel/randomize_va_space")).strip()),
                s.host().randomizeVaSpace());
        assertEquals(auxvPageSize(proc.resolve("self/auxv")), s.host().pageSize());
        boolean la57 = lines(proc.resolve("cpuinfo")).stream()
                .anyMatch(l -> l.startsWith("flags") && List.of(l.split("\\s+")).contains("la57"));
        assertEquals(la57 ? 5 : 4, s.host().pagingLevels());
        String thp = Files.readString(Fixtures.dir(tree).resolve("sys/kernel/mm/transparent_hugepage/enabled"));
        assertEquals(thp.substring(thp.indexOf('[') + 1, thp.indexOf(']')), s.host().thpMode());
        assertNull(s.host().features(), "nothing is probed on a captured tree");
    }

    /** AT_PAGESZ (6) of an x86-64 auxv: pairs of little-endian 64-bit words. */
    private static long auxvPageSize(Path auxv) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(auxv)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 16) {
            long type = b.getLong();
            long value = b.getLong();
            if (type == 6) {
                return value;
            }
        }
        throw new AssertionError("no AT_PAGESZ in " + auxv);
    }

    @ParameterizedTest
    @MethodSource("trees")
    void kernelLayoutIsTheCapturedKernelFiles(String tree) throws IOException {
        KernelLayout k = Fixtures.snapshot(tree).kernel();
        Path proc = Fixtures.proc(tree);
        Long text = null;
        for (String l : lines(proc.resolve("kallsyms"))) {
            String[] f = l.split(" ");
            if (f.length == 3 && f[2].equals("_text")) {
                text = Long.parseUnsignedLong(f[0], 16);
            }
        }
        assertNotNull(text, "capture.sh keeps kallsyms up to _text");
        assertEquals(text, k.kernelText());
        assertTrue(observed(k, "kernel text").contains(Long.toHexString(text)), observed(k, "kernel text"));
        List<KernelLayout.RamRange> ram = new ArrayList<>();
        for (String l : lines(proc.resolve("iomem"))) {
            if (!l.startsWith(" ") && l.endsWith(" : System RAM")) {
                String[] range = l.substring(0, l.indexOf(' ')).split("-");
                ram.add(new KernelLayout.RamRange(Long.parseUnsignedLong(range[0], 16),
                        Long.parseUnsignedLong(range[1], 16), "System RAM"));
            }
        }
        assertFalse(ram.isEmpty(), "captured as root: iomem shows addresses");
        assertEquals(ram.stream().map(r -> r.start() + "-" + r.end()).toList(),
                k.ram().stream().map(r -> r.start() + "-" + r.end()).toList());
        assertTrue(observed(k, "direct map").contains(ram.size() + " range"), observed(k, "direct map"));
        Path modules = proc.resolve("modules");
        if (Files.exists(modules)) {
            long n = lines(modules).stream().filter(l -> !l.isBlank()).count();
            assertTrue(observed(k, "modules").startsWith(n + " module"), observed(k, "modules"));
        } else {
            assertTrue(observed(k, "modules").startsWith("no /proc/modules"), observed(k, "modules"));
        }
        boolean vsyscall = lines(Fixtures.pidDir(tree).resolve("maps")).stream().anyMatch(l -> l.endsWith("[vsyscall]"));
        assertEquals(vsyscall, observed(k, "vsyscall").startsWith("[vsyscall] is in"), observed(k, "vsyscall"));
    }

    private static String observed(KernelLayout k, String name) {
        return k.regions().stream().filter(r -> r.name().equals(name)).map(KernelRegion::observed).findFirst()
                .orElseThrow();
    }

    /** What presenter golden tests rely on: the same document on every run, in any checkout, valid by the schema. */
    @ParameterizedTest
    @MethodSource("trees")
    void theSnapshotIsReproducibleAndValid(String tree) throws Exception {
        String a = SnapshotJson.toJson(Fixtures.snapshot(tree));
        String b = SnapshotJson.toJson(Fixtures.snapshot(tree));
        assertEquals(a, b);
        assertFalse(a.contains(Fixtures.home().toString()), "the checkout's path leaked into the snapshot");
        ObjectMapper m = new ObjectMapper();
        Path schema = repo().resolve("docs/schema/snapshot-v2.schema.json");
        var errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(m.readTree(schema.toFile())).validate(m.readTree(a));
        assertEquals(Set.of(), errors);
        JsonNode doc = m.readTree(a);
        assertEquals(Fixtures.capturedAt(tree).toString(), doc.get("takenAt").asText());
    }

    /** The same snapshot through the plain session API, options as a front end would pass them. */
    @ParameterizedTest
    @MethodSource("trees")
    void mapsOptionsGiveTheSameRegionsWithoutTheKernelHalf(String tree) {
        Snapshot maps = Fixtures.host(tree).session(Fixtures.pid(tree)).snapshot(SnapshotOptions.maps());
        Snapshot full = Fixtures.snapshot(tree);
        assertNull(maps.kernel());
        assertEquals(full.regions(), maps.regions());
        assertEquals(full.threads(), maps.threads());
    }

    private static Path repo() {
        return Fixtures.home().getParent().getParent().getParent().getParent().getParent();
    }

    private static List<String> lines(Path p) throws IOException {
        return List.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\n"));
    }
}
