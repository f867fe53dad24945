package dev.inspector.core.session;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * File names are bytes: the odd_names sample maps files whose names are not UTF-8, hold a real backslash and "012"
 * (which maps shows exactly like a newline), a newline, controls, spaces, a fake " (deleted)". Each mapping's
 * {@link MappingPath#nameBytes()} must be the file's name as the sample created it (announced in hex), also after a
 * round trip through the JSON document.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class OddNamesLiveTest {

    static final List<String> LABELS = List.of("invalid_utf8", "backslash_012", "newline", "spaces", "fake_deleted",
            "escape", "tab_cr", "long_name", "deep_path");

    @Test
    void everyNameKeepsTheBytesTheFileWasCreatedWith() {
        try (SampleProgram s = Samples.start("odd_names")) {
            SampleStep ready = s.awaitStep("ready");
            Snapshot snap = Live.host().session(s.pid()).snapshot(SnapshotOptions.maps());
            Snapshot back = SnapshotJson.parse(SnapshotJson.toJson(snap), "odd.json");
            for (Snapshot x : List.of(snap, back)) {
                for (String label : LABELS) {
                    MappingPath p = at(x, ready.range(label).lo()).path();
                    assertArrayEquals(expected(ready, label), p.nameBytes(), label + ": " + p);
                    assertEquals(false, p.deleted(), label);
                    if (label.equals("invalid_utf8")) {
                        assertNotNull(p.nameHex(), "bytes that are not UTF-8 are kept in hex");
                    } else {
                        assertNull(p.nameHex(), label + " is valid UTF-8: no hex");
                    }
                }
            }
            s.cont();
        }
    }

    private static Mapping at(Snapshot s, long address) {
        for (Region r : s.regions()) {
            if (Long.compareUnsigned(r.mapping().start(), address) <= 0
                    && Long.compareUnsigned(address, r.mapping().end()) < 0) {
                return r.mapping();
            }
        }
        throw new AssertionError("no mapping at " + Long.toHexString(address));
    }

    /** The full path of the file as the sample made it: its directory, the deep directories, the announced name. */
    static byte[] expected(SampleStep ready, String label) {
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(ready.value("dir").getBytes(StandardCharsets.US_ASCII));
        if (label.equals("deep_path")) {
            byte[] component = "D".repeat((int) ready.number("deep_component_bytes")).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < ready.number("deep_levels"); i++) {
                want.write('/');
                want.writeBytes(component);
            }
        }
        want.write('/');
        want.writeBytes(HexFormat.of().parseHex(ready.value("name_hex." + label)));
        return want.toByteArray();
    }
}
