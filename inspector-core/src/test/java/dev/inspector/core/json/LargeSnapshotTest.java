package dev.inspector.core.json;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process with 60,000 mappings (what a large JVM or a browser reaches; vm.max_map_count is 65530 by default) is
 * written by streaming and read back equal. The regions repeat a real anonymous region of this JVM, smaps included.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class LargeSnapshotTest {

    @TempDir
    Path tmp;

    @Test
    void sixtyThousandMappingsRoundTrip() throws Exception {
        Snapshot real = RealSnapshots.self(false);
        Region model = real.regions().stream()
                .filter(r -> r.mapping().path().type() == MappingPath.Type.ANONYMOUS && r.smaps() != null)
                .findFirst().orElseThrow();
        Mapping m = model.mapping();
        // The model's figures, fitted to a one-page mapping (the readers refuse Rss, Pss or Swap above the size).
        java.util.Map<String, Long> bytes = new java.util.LinkedHashMap<>(model.smaps().bytes());
        bytes.replaceAll((k, v) -> k.equals("KernelPageSize") || k.equals("MMUPageSize") ? v : Math.min(v, 4096L));
        dev.inspector.core.model.Smaps smaps = new dev.inspector.core.model.Smaps(bytes, model.smaps().values(),
                model.smaps().vmFlags());
        List<Region> regions = new ArrayList<>(60_000);
        long base = 0x100000000L;
        for (int i = 0; i < 60_000; i++) {
            long start = base + i * 2L * 4096; // a hole between neighbours, as the kernel would not merge them otherwise
            regions.add(new Region(new Mapping(start, start + 4096, m.perms(), start / 4096, 0, 0, 0, m.path()),
                    model.kind(), null, List.of(), model.evidence(), null).withSmaps(smaps));
        }
        Snapshot big = new Snapshot(real.schemaVersion(), real.toolVersion(), real.takenAt(), real.host(), real.process(),
                regions, real.threads(), real.bases(), real.kernel(), real.rollup());
        Path f = tmp.resolve("big.json");
        SnapshotJson.write(big, f.toString());
        assertTrue(Files.size(f) > 60_000L * 100, "every region written");
        assertEquals(big, SnapshotJson.read(f));
    }
}
