package dev.inspector.core.elf;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.BadInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class ElfCacheTest {

    @TempDir
    Path tmp;

    @Test
    void parsesEachFileOnceAcrossManyLookups() throws Exception {
        Path exe = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        ElfCache cache = new ElfCache(8);
        ElfFile first = cache.get(exe);
        for (int i = 0; i < 60_000; i++) {
            assertSame(first, cache.find(exe).orElseThrow());
        }
        assertEquals(1, cache.parses());
        assertEquals(60_000, cache.hits());
    }

    @Test
    void reparsesWhenTheFileChangesAndCachesNonElfAsBadInput() throws Exception {
        Path copy = tmp.resolve("lib.so");
        Files.copy(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath(), copy);
        ElfCache cache = new ElfCache(8);
        ElfFile a = cache.get(copy);
        Files.setLastModifiedTime(copy, FileTime.from(Instant.now().plusSeconds(5)));
        ElfFile b = cache.get(copy);
        assertNotSame(a, b, "a new mtime is a new file");
        assertEquals(2, cache.parses());

        Path text = Files.writeString(tmp.resolve("locale-archive"), "not an ELF file at all, just data");
        assertThrows(BadInput.class, () -> cache.get(text));
        assertTrue(cache.find(text).isEmpty());
        assertEquals(3, cache.parses(), "the BadInput was cached, not re-parsed");

        // Replaced in place (new inode, as a package upgrade does): parsed again.
        Path fresh = tmp.resolve("fresh");
        Files.copy(copy, fresh);
        Files.move(fresh, text, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(cache.find(text).isPresent());
        assertEquals(4, cache.parses());
        assertTrue(cache.find(tmp.resolve("missing")).isEmpty());
    }

    @Test
    void staysBounded() throws Exception {
        ElfCache cache = new ElfCache(3);
        for (int i = 0; i < 10; i++) {
            Path p = Files.writeString(tmp.resolve("f" + i), "data " + i);
            cache.find(p);
        }
        assertEquals(3, cache.size());
    }

    @Test
    void aFifoOrADirectoryIsRefusedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("fifo.so");
        org.junit.jupiter.api.Assumptions.assumeTrue(Tools.run("mkfifo", fifo.toString()).isPresent());
        ElfCache cache = new ElfCache();
        BadInput b = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThrows(BadInput.class, () -> cache.get(fifo)));
        assertEquals(fifo + ": not a regular file (a FIFO)", b.getMessage());
        assertEquals(tmp + ": not a regular file (a directory)",
                assertThrows(BadInput.class, () -> cache.get(tmp)).getMessage());
    }

    /** The cache's own estimate of what it keeps stays under its byte bound, evicting the least recently used. */
    @Test
    void staysWithinItsMemoryBound() throws Exception {
        long bound = 3L << 20;
        ElfCache cache = new ElfCache(1024, bound, ElfFile.Limits.DEFAULT, ElfCache.DEFAULT_TIMEOUT_MILLIS);
        byte[] img = HostileElf.distinctNames(4096, 200);
        long perFile = 0;
        for (int i = 0; i < 20; i++) {
            Path p = tmp.resolve("names" + i + ".so");
            Files.write(p, img);
            ElfFile e = cache.get(p);
            // An independent floor for what one entry keeps: the kept name characters and a 6-field record per section.
            long floor = e.sections().stream().filter(s -> !s.name().startsWith("#"))
                    .mapToLong(s -> s.name().length()).sum() + 40L * e.sections().size();
            assertTrue(e.retainedBytes() >= floor, e.retainedBytes() + " < " + floor);
            perFile = e.retainedBytes();
            assertTrue(cache.retainedBytes() <= bound, "cache keeps " + cache.retainedBytes());
        }
        assertEquals(20, cache.parses());
        assertTrue(cache.size() < 20 && cache.size() >= bound / perFile - 1, cache.size() + " entries of " + perFile);
    }

    /**
     * A read that blocks (here: opening a FIFO without O_NONBLOCK, as a FUSE daemon that never answers would block a
     * read) is given up at the deadline; while {@code MAX_STUCK} are blocked, more are refused at once; when they
     * are released they no longer count.
     */
    @Test
    void aBlockedReadIsGivenUpAtTheDeadlineAndBlockedReadsAreBounded() throws Exception {
        BoundedTime time = new BoundedTime(200, 2);
        List<Path> fifos = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path fifo = tmp.resolve("block" + i);
            org.junit.jupiter.api.Assumptions.assumeTrue(Tools.run("mkfifo", fifo.toString()).isPresent());
            fifos.add(fifo);
            BadInput b = assertThrows(BadInput.class, () -> time.call(() -> {
                try (var in = new java.io.FileInputStream(fifo.toFile())) {
                    return in.read();
                }
            }, fifo.toString()));
            assertEquals(fifo + ": no answer within 200 ms (the filesystem does not respond); not read",
                    b.getMessage());
        }
        assertEquals(2, time.stuck());
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        BadInput refused = assertThrows(BadInput.class, () -> time.call(() -> ran.getAndSet(true), "third"));
        assertTrue(refused.getMessage().contains("2 earlier reads of mapped files are still blocked"),
                refused.getMessage());
        assertFalse(ran.get(), "refused without being started");
        for (Path fifo : fifos) {
            try (var out = new java.io.FileOutputStream(fifo.toFile())) {
                out.write(1); // opening the write end lets the blocked reader go
            }
        }
        for (int i = 0; i < 500 && time.stuck() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, time.stuck());
        assertEquals(7, (int) time.call(() -> 7, "fine"));
    }
}
