package dev.inspector.core.procfs;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.procfs.parse.SmapsParser;
import dev.inspector.core.procfs.parse.SmapsRecord;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smaps cache gives what a full parse gives, for the kernel's own text (this JVM's smaps) and edits of it: a
 * record whose text is unchanged is the previous object, a changed, added or removed one is what the parser makes of
 * the new text, and bad text is the parser's own error.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class SmapsCacheTest {

    @TempDir
    Path dir;

    private List<SmapsRecord> read(SmapsCache cache, String text) throws IOException {
        Path f = dir.resolve("smaps");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        List<SmapsRecord> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            cache.read(ch, f.toString(), out::add);
        }
        return out;
    }

    private static List<SmapsRecord> parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return SmapsParser.parse(b, b.length, "smaps");
    }

    /** The records of {@code text}, as text, each starting at its address line. */
    private static List<String> records(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                if (cur != null) {
                    out.add(cur.toString());
                }
                cur = new StringBuilder();
            }
            cur.append(line).append('\n');
        }
        out.add(cur.toString());
        return out;
    }

    @Test
    void unchangedRecordsAreTheSameObjectsAndChangedOnesAreParsedAgain() throws IOException {
        String text = Files.readString(Path.of("/proc/self/smaps"));
        List<String> recs = records(text);
        assertTrue(recs.size() > 10, "this JVM maps more than ten things");
        SmapsCache cache = new SmapsCache();
        List<SmapsRecord> a = read(cache, text);
        assertEquals(parse(text), a);
        assertEquals(recs.size(), cache.lastParsed());

        List<SmapsRecord> b = read(cache, text);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertSame(a.get(i), b.get(i));
        }
        assertEquals(0, cache.lastParsed());

        // One record's Rss changes, one record goes, one comes back at the end: only those are parsed.
        int k = recs.size() / 2;
        List<String> edited = new ArrayList<>(recs);
        edited.set(k, edited.get(k).replaceFirst("(?m)^Rss:( +)\\d+ kB", "Rss:$1999999 kB"));
        String removed = edited.remove(1);
        String text2 = String.join("", edited);
        List<SmapsRecord> c = read(cache, text2);
        assertEquals(parse(text2), c);
        assertEquals(1, cache.lastParsed());
        assertNotSame(b.get(k), c.get(k - 1));
        assertEquals(999999L * 1024, c.get(k - 1).smaps().rss());
        assertSame(b.get(0), c.get(0));
        assertSame(b.get(k + 1), c.get(k));

        edited.add(1, removed);
        String text3 = String.join("", edited);
        List<SmapsRecord> d = read(cache, text3);
        assertEquals(parse(text3), d);
        assertEquals(1, cache.lastParsed());
    }

    @Test
    void badTextIsTheParsersOwnError() throws IOException {
        String text = Files.readString(Path.of("/proc/self/smaps"));
        SmapsCache cache = new SmapsCache();
        read(cache, text);
        List<String> recs = records(text);
        List<String> edited = new ArrayList<>(recs);
        edited.set(3, edited.get(3).replaceFirst("(?m)^Pss:.*$", "Pss: lots kB"));
        String bad = String.join("", edited);
        MalformedProcFile full = assertThrows(MalformedProcFile.class, () -> parse(bad));
        MalformedProcFile viaCache = assertThrows(MalformedProcFile.class, () -> read(cache, bad));
        assertEquals(full.getMessage().replace("smaps", ""), viaCache.getMessage()
                .replace(dir.resolve("smaps").toString(), ""));
    }
}
