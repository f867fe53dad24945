package dev.inspector.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.VmFlags;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RegionJson} writes regions without Jackson's generator: its bytes must be exactly what the generator writes
 * for the same values (the document format does not depend on which path wrote it), and the byte stream path of
 * {@link SnapshotJson} must give the same text as the generator-only character path.
 */
@LiveTest
class RegionJsonTest {

    /** A plain mapper: its compact output of a parsed line is the generator's canonical text for those values. */
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    @EnabledOnOs(OS.LINUX)
    void byteStreamAndCharacterPathsWriteTheSameDocument() throws Exception {
        Snapshot real = RealSnapshots.self(true);
        StringWriter w = new StringWriter();
        SnapshotJson.write(real, w);
        assertEquals(w.toString(), SnapshotJson.toJson(real));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void everyLineOfARealSnapshotIsWhatTheGeneratorWritesForIt() throws Exception {
        Snapshot real = RealSnapshots.self(true);
        String[] lines = SnapshotJson.toJson(real).split("\n");
        int regions = 0;
        for (String line : lines) {
            if (!line.startsWith("{\"mapping\":")) {
                continue;
            }
            String value = line.endsWith(",") ? line.substring(0, line.length() - 1) : line;
            assertEquals(JACKSON.writeValueAsString(JACKSON.readTree(value)), value);
            regions++;
        }
        assertEquals(real.regions().size(), regions);
        assertTrue(real.regions().stream().anyMatch(r -> r.pages() != null && !r.pages().isEmpty()));
    }

    @Test
    void unusualValuesAreWrittenAsTheGeneratorWritesThem() throws Exception {
        String[] names = {"", "/usr/lib/libc.so.6", "/tmp/a \"quoted\" name", "/tmp/back\\slash", "/tmp/new\nline",
            "/tmp/tab\tand\rcr\bbs\ffeed", "/tmp/ctl\u0001\u001f\u007f", "/tmp/caf\u00e9", "/tmp/\u4e2d\u6587",
            "/tmp/emoji\ud83d\ude00", "/tmp/replacement\ufffd", "/tmp/ascii ~!@#$%^&*()_+{}|:<>?`-=[];',./"};
        List<Region> regions = new ArrayList<>();
        long[] numbers = {0, 1, 9, 10, 99, 100, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 999_999_999_999_999_999L,
            1_000_000_000_000_000_000L, Long.MAX_VALUE}; // negatives: numbersAreWrittenAsLongToStringWritesThem
        for (int i = 0; i < names.length; i++) {
            long start = i % 2 == 0 ? 0xffffffffff600000L + i * 4096L : 0x1000L * (i + 1);
            Mapping m = new Mapping(start, start + 4096, Perms.of(i % 2 == 0, i % 3 == 0, i % 5 == 0, i % 7 == 0),
                    numbers[i % numbers.length], i == 3 ? 0x103 : 0xfe, i, numbers[(i + 3) % numbers.length],
                    new MappingPath(MappingPath.Type.values()[i % MappingPath.Type.values().length], names[i],
                            i % 2 == 1, i == 1 ? "2f746d702fff" : null)); // one name whose bytes are not UTF-8
            Map<String, Long> bytes = new LinkedHashMap<>();
            bytes.put("Size", 4096L);
            bytes.put("Shared_Dirty", numbers[i % numbers.length]); // (Rss, Pss, Swap are read back only up to Size)
            bytes.put(i == 4 ? "Odd\"Key" : "Pss", (long) i);
            Map<String, String> values = new LinkedHashMap<>();
            if (i % 2 == 0) {
                values.put("THPeligible", "0");
                values.put("ProtectionKey", names[i]);
            }
            VmFlags flags = i % 3 == 0 ? null : new VmFlags("rd wr zz", List.of(new VmFlags.Flag("rd", "readable"),
                    new VmFlags.Flag("wr", "writeable"), new VmFlags.Flag("zz", null)));
            Residency res = i % 4 == 0 ? null : new Residency(1, 1, 0, 0, -1, i, 0, -1, 5, i % 2 == 0 ? null : "pagemap");
            List<PageRun> runs = i % 4 == 1 ? null : List.of(new PageRun(0, 1, PageRun.PRESENT, 0x1234),
                    new PageRun(1, 3, 0, -1));
            regions.add(new Region(m, RegionKind.values()[i % RegionKind.values().length],
                    i % 2 == 0 ? null : names[i], i % 3 == 0 ? List.of() : List.of(".text", names[i]),
                    i % 5 == 0 ? null : "evidence for " + names[i], i % 2 == 0 ? null : 1000 + i,
                    i == 7 ? null : new Smaps(bytes, values, flags), res, runs));
        }
        RegionJson enc = new RegionJson(16);
        for (Region r : regions) {
            enc.reset();
            enc.region(r);
            String text = enc.text();
            assertEquals(JACKSON.writeValueAsString(JACKSON.readTree(text)), text);
        }
        // The values come back from the text exactly (the reader's inverse of the region layout), in address order.
        regions.sort((x, y) -> Long.compareUnsigned(x.mapping().start(), y.mapping().start()));
        Snapshot real = RealSnapshots.self(false);
        Snapshot s = new Snapshot(real.schemaVersion(), real.toolVersion(), real.takenAt(), real.host(),
                real.process(), regions, real.threads(), real.bases(), real.kernel(), real.rollup());
        assertEquals(regions, SnapshotJson.parse(SnapshotJson.toJson(s), "test").regions());
    }

    @Test
    void numbersAreWrittenAsLongToStringWritesThem() {
        Random random = new Random(42);
        RegionJson enc = new RegionJson(16);
        List<Long> values = new ArrayList<>(List.of(0L, 9L, 10L, -9L, Long.MAX_VALUE, Long.MIN_VALUE));
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            values.add(p - 1);
            values.add(p);
            values.add(-p);
        }
        for (int i = 0; i < 10_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        for (long v : values) {
            enc.reset();
            enc.number(v);
            assertEquals(Long.toString(v), enc.text());
        }
    }
}
