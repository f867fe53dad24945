package dev.inspector.core.elf;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.analysis.Classifier;
import dev.inspector.core.analysis.ClassifierInput;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.testing.Live;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.sys.FileStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reading the file a process actually maps, on real processes built here: a target that maps a library, enters a
 * user + mount namespace and chroots to a directory where the library's path is a FIFO (or another ELF file), then
 * stops; a target that maps a deleted library; a target that maps a crafted ELF file ten times. The FIFO once hung
 * the inspector in open() forever; here every classification must finish (a hang guard, not a speed test) and say in
 * the evidence why a file was not used.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class MappedElfLiveTest {

    static final String LIB = """
            int lib_data = 5;
            static char lib_bss[100000];
            int lib_fn(int x) { lib_bss[x] = 1; return x + lib_data; }
            """;

    /** Maps LIB with dlopen, unshares a user and mount namespace, chroots to DIR, announces, stops. */
    static final String CHROOTER = """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <sched.h>
            #include <signal.h>
            #include <stdio.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                if (argc != 3) return 2;
                if (!dlopen(argv[1], RTLD_NOW)) { printf("error dlopen %s\\n", dlerror()); return 3; }
                if (argv[2][0] == '-') {
                    if (argv[2][1] == 'u' && unlink(argv[1]) != 0) { printf("error unlink\\n"); return 4; }
                } else {
                    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) { printf("error unshare\\n"); return 4; }
                    if (chroot(argv[2]) != 0 || chdir("/") != 0) { printf("error chroot\\n"); return 5; }
                }
                printf("ready\\n");
                fflush(stdout);
                raise(SIGSTOP);
                return 0;
            }
            """;

    /** Maps FILE read-only N times (separate mappings: each at file offset 0), announces, stops. */
    static final String MAPPER = """
            #include <fcntl.h>
            #include <signal.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <sys/mman.h>
            #include <sys/stat.h>
            int main(int argc, char **argv) {
                int fd = open(argv[1], O_RDONLY);
                struct stat st;
                if (fd < 0 || fstat(fd, &st) != 0) return 2;
                for (int i = 0; i < atoi(argv[2]); i++)
                    if (mmap(0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) return 3;
                printf("ready\\n");
                fflush(stdout);
                raise(SIGSTOP);
                return 0;
            }
            """;

    @TempDir
    static Path tmp;
    static Path chrooter;
    static Path mapper;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void compile() throws Exception {
        chrooter = Tools.gcc(tmp, "chrooter", CHROOTER).orElse(null);
        mapper = Tools.gcc(tmp, "mapper", MAPPER).orElse(null);
    }

    @AfterEach
    void kill() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private Path library(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lib"));
        Path lib = Tools.gcc(dir, name, LIB, "-shared", "-fPIC").orElse(null);
        assumeTrue(lib != null, "gcc not available");
        return lib;
    }

    /** Starts a target, waits for its announcement and for it to stop; the pid. */
    private int start(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assumeTrue("ready".equals(line), "target could not set up: " + line);
        int pid = (int) p.pid();
        for (int i = 0; i < 500; i++) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("T")) {
                return pid;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("target " + pid + " did not stop");
    }

    private static List<Region> classify(int pid, boolean mapFiles) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            List<Mapping> maps = ProcFs.system().maps(pid);
            String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
            MappedElf elf = new MappedElf(ProcFs.system().pidDir(pid), exe, new ElfCache(), mapFiles);
            return Classifier.classify(new ClassifierInput(maps, exe, elf, Map.of(), pid, 0, 0, 4096));
        }, "classification must never block on a file the target controls");
    }

    private static List<Region> of(List<Region> rs, Path file) {
        return rs.stream().filter(r -> r.mapping().path().isFile()
                && r.mapping().path().name().equals(file.toString())).toList();
    }

    /** A chroot where the library's path (as maps prints it) is {@code what}. */
    private Path chrootWith(Path lib, String what) throws Exception {
        Path root = Files.createTempDirectory(tmp, "root");
        Path inside = root.resolve(lib.toString().substring(1));
        Files.createDirectories(inside.getParent());
        if (what.equals("fifo")) {
            assumeTrue(Tools.run("mkfifo", inside.toString()).isPresent(), "mkfifo failed");
        } else {
            Files.copy(chrooter, inside); // another ELF file at the same path
        }
        return root;
    }

    @Test
    void aFifoAtTheMappedPathInTheTargetsChrootNeitherBlocksNorMisleads() throws Exception {
        assumeTrue(chrooter != null, "gcc not available");
        Path lib = library("libvictim");
        int pid = start(chrooter.toString(), lib.toString(), chrootWith(lib, "fifo").toString());

        // Without map_files (an unprivileged reader): the path in the target's root is a FIFO; refused, and said.
        List<Region> viaRoot = of(classify(pid, false), lib);
        assertFalse(viaRoot.isEmpty(), "the library is mapped");
        for (Region r : viaRoot) {
            assertEquals(RegionKind.FILE, r.kind(), r.evidence());
            assertTrue(r.sections().isEmpty());
            assertTrue(r.evidence().contains("no ELF headers: not a regular file (a FIFO)"), r.evidence());
            assertTrue(r.evidence().contains("map_files not used"), r.evidence());
        }

        // With map_files (root): the very file mapped, whatever the target's root now holds at that path.
        assumeTrue(mapFilesReadable(pid), "map_files needs CAP_SYS_ADMIN");
        List<Region> viaMapFiles = of(classify(pid, true), lib);
        assertTrue(viaMapFiles.stream().anyMatch(r -> r.kind() == RegionKind.TEXT && r.sections().contains(".text")),
                viaMapFiles.toString());
        assertTrue(viaMapFiles.stream().anyMatch(r -> r.kind() == RegionKind.DATA && r.sections().contains(".data")),
                viaMapFiles.toString());

        // And the whole snapshot, as `inspector maps` takes it, finishes.
        Snapshot s = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> inspector().snapshot(pid,
                SnapshotOptions.maps()));
        assertTrue(s.regions().stream().anyMatch(r -> lib.toString().equals(r.owner())
                && r.kind() == RegionKind.TEXT));
    }

    @Test
    void anotherFileAtTheMappedPathIsRefusedByItsIdentity() throws Exception {
        assumeTrue(chrooter != null, "gcc not available");
        Path lib = library("libother");
        int pid = start(chrooter.toString(), lib.toString(), chrootWith(lib, "elf").toString());
        List<Region> viaRoot = of(classify(pid, false), lib);
        assertFalse(viaRoot.isEmpty());
        for (Region r : viaRoot) {
            assertEquals(RegionKind.FILE, r.kind(), r.evidence());
            assertTrue(r.evidence().contains("identity differs from the mapping: dev/inode "
                    + r.mapping().device() + "/" + r.mapping().inode() + " in maps"), r.evidence());
        }
    }

    @Test
    void aDeletedLibraryIsReadThroughMapFiles() throws Exception {
        assumeTrue(chrooter != null, "gcc not available");
        Path lib = library("libdeleted");
        int pid = start(chrooter.toString(), lib.toString(), "-unlink");
        assumeTrue(mapFilesReadable(pid), "map_files needs CAP_SYS_ADMIN");
        List<Region> rs = of(classify(pid, true), lib);
        assertTrue(rs.stream().allMatch(r -> r.mapping().path().deleted()), rs.toString());
        assertTrue(rs.stream().anyMatch(r -> r.kind() == RegionKind.TEXT && r.sections().contains(".text")),
                rs.toString());
        // Without map_files there is nothing honest to read: the path names no file (or another one).
        for (Region r : of(classify(pid, false), lib)) {
            assertEquals(RegionKind.FILE, r.kind());
            assertTrue(r.evidence().startsWith("deleted file " + lib), r.evidence());
            assertTrue(r.evidence().contains("its path names another file or none"), r.evidence());
        }
    }

    /**
     * A library mapped from an overlayfs mount: read through map_files and through the target's root alike. (Linux
     * 6.8+ shows the overlay's device in maps, so the identity matches exactly; the policy for older kernels, which
     * showed the layer's device, is {@link #theIdentityPolicy}.)
     */
    @Test
    void aLibraryOnOverlayfsIsReadBothWays() throws Exception {
        assumeTrue(chrooter != null, "gcc not available");
        Path lib = library("liboverlay");
        Path ovl = Files.createTempDirectory(tmp, "ovl");
        for (String d : List.of("lower", "upper", "work", "merged")) {
            Files.createDirectories(ovl.resolve(d));
        }
        Files.copy(lib, ovl.resolve("lower/liboverlay.so"));
        Path merged = ovl.resolve("merged");
        assumeTrue(Tools.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + ovl.resolve("lower")
                + ",upperdir=" + ovl.resolve("upper") + ",workdir=" + ovl.resolve("work"), merged.toString())
                .isPresent(), "cannot mount overlayfs here");
        try {
            Path onOverlay = merged.resolve("liboverlay.so");
            int pid = start(chrooter.toString(), onOverlay.toString(), "-stay");
            for (boolean mapFiles : new boolean[] {true, false}) {
                if (mapFiles && !mapFilesReadable(pid)) {
                    continue;
                }
                List<Region> rs = of(classify(pid, mapFiles), onOverlay);
                assertTrue(rs.stream().anyMatch(r -> r.kind() == RegionKind.TEXT && r.sections().contains(".text")),
                        "map_files " + mapFiles + ": " + rs);
                assertFalse(rs.stream().anyMatch(r -> r.evidence().contains("identity differs")), rs.toString());
            }
        } finally {
            kill();
            started.clear();
            Tools.run("umount", "-l", merged.toString());
        }
    }

    /**
     * The 64-section variant of the huge-name file, mapped ten times, once made a 713 MB snapshot; now each mapping
     * costs the snapshot about as much as any file's mapping (names cut to 128 bytes, at most 64 listed).
     */
    @Test
    void aCraftedFileMappedTenTimesDoesNotMultiplyTheSnapshot() throws Exception {
        assumeTrue(mapper != null, "gcc not available");
        byte[] img = HostileElf.hugeNames(64, 1 << 20);
        Path crafted = Files.write(tmp.resolve("crafted.so"), img);
        Path plain = Files.write(tmp.resolve("plain.bin"), new byte[img.length]);
        Snapshots inspector = inspector();
        long[] sizes = new long[2];
        int k = 0;
        for (Path f : List.of(crafted, plain)) {
            int pid = start(mapper.toString(), f.toString(), "10");
            Snapshot s = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> inspector.snapshot(pid,
                    SnapshotOptions.maps()));
            List<Region> rs = s.regions().stream().filter(r -> r.mapping().path().name().equals(f.toString()))
                    .toList();
            assertEquals(10, rs.size(), rs.toString());
            if (f == crafted) {
                for (Region r : rs) {
                    assertEquals(RegionKind.ELF_HEADER, r.kind(), r.evidence());
                    assertEquals(62, r.sections().size());
                    assertTrue(r.evidence().contains("cut to stay within bounds: 63 section names longer than 128"
                            + " bytes cut"), r.evidence());
                }
            }
            sizes[k++] = SnapshotJson.toJson(s).length();
        }
        long extra = sizes[0] - sizes[1];
        // Ten regions, each listing 62 names of 129 characters: under 16 KiB a region, where it was 71 MB.
        assertTrue(extra < 10 * 16 * 1024, "the crafted file's ten mappings add " + extra + " bytes");
    }

    @Test
    void theIdentityPolicy() {
        Mapping m = dev.inspector.core.procfs.parse.MapsParser.parse(
                "7f0000000000-7f0000001000 r--p 00000000 fe:00 340072 /usr/lib/libz.so", "maps").get(0);
        FileStat same = new FileStat(FileStat.Type.REGULAR, 0100644, 0xfe, 0, 340072, 4096, 0, 0, 0xef53);
        assertTrue(MappedElf.identity(m, same).same());
        assertEquals(null, MappedElf.identity(m, same).words());
        // overlayfs before Linux 6.8: maps shows the layer's device, the file opened is on the overlay's.
        FileStat overlay = new FileStat(FileStat.Type.REGULAR, 0100644, 0, 39, 340072, 4096, 0, 0,
                FileStat.OVERLAYFS_MAGIC);
        assertTrue(MappedElf.identity(m, overlay).same());
        assertTrue(MappedElf.identity(m, overlay).words().startsWith("overlayfs: maps names device fe:00"));
        FileStat otherInode = new FileStat(FileStat.Type.REGULAR, 0100644, 0, 39, 99, 4096, 0, 0,
                FileStat.OVERLAYFS_MAGIC);
        assertFalse(MappedElf.identity(m, otherInode).same());
        FileStat otherDevice = new FileStat(FileStat.Type.REGULAR, 0100644, 8, 1, 340072, 4096, 0, 0, 0xef53);
        assertFalse(MappedElf.identity(m, otherDevice).same());
        assertEquals("identity differs from the mapping: dev/inode fe:00/340072 in maps, 08:01/340072 opened"
                + " (another file at that path)", MappedElf.identity(m, otherDevice).words());
    }

    private static boolean mapFilesReadable(int pid) throws Exception {
        try (var s = Files.list(Path.of("/proc/" + pid + "/map_files"))) {
            // The link can be read by the target's owner; opening what it names needs CAP_SYS_ADMIN (or
            // CAP_CHECKPOINT_RESTORE), and opening is what the reader does.
            Path any = s.findFirst().orElseThrow();
            java.nio.channels.FileChannel.open(any).close();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Snapshots as `inspector maps` takes them, each through a fresh session of the shared test host. */
    private static Snapshots inspector() {
        return (pid, options) -> Live.host().session(pid).snapshot(options);
    }

    @FunctionalInterface
    private interface Snapshots {
        Snapshot snapshot(int pid, SnapshotOptions options);
    }
}
