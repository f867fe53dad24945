package dev.inspector.cli;

import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Snapshot;
import dev.inspector.present.MapsView;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code maps --json}: the snapshot document (docs/schema/snapshot-v1.schema.json) holding the mappings the filter
 * selects, so scripts read one format whether it came from maps, snapshot or watch.
 */
final class MapsJson {
    private MapsJson() {
    }

    static void write(Snapshot s, MapsView.Filter filter, PrintWriter out) throws IOException {
        Snapshot selected = filter.isEmpty() ? s : new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt(),
                s.host(), s.process(), MapsView.select(s, filter), s.threads(), s.bases(), s.kernel(), s.rollup());
        SnapshotJson.write(selected, out);
        out.flush();
    }
}
