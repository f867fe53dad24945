package dev.inspector.core.elf;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
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
}
