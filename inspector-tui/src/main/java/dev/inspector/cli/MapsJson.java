package dev.inspector.cli;

import dev.inspector.core.json.MappingTotals;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.present.MapsView;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code maps --json}: the snapshot document (docs/schema/snapshot-v2.schema.json) holding the mappings the filter
 * selects, so scripts read one format whether it came from maps, snapshot or watch, plus {@code totals}: the figures
 * of the table's totals line.
 */
final class MapsJson {
    private MapsJson() {
    }

    static void write(Snapshot s, MapsView.Filter filter, PrintWriter out) throws IOException {
        List<Region> shown = filter.isEmpty() ? s.regions() : MapsView.select(s, filter);
        Snapshot selected = filter.isEmpty() ? s : new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt(),
                s.host(), s.process(), shown, s.threads(), s.bases(), s.kernel(), s.rollup());
        SnapshotJson.write(selected, totals(s, shown, filter.isEmpty()), out);
        out.flush();
    }

    /** The totals line of the table as values: smaps_rollup when nothing is filtered out, else the sum of the rows. */
    static MappingTotals totals(Snapshot s, List<Region> shown, boolean all) {
        long size = 0;
        long rss = 0;
        long pss = 0;
        long swap = 0;
        long thp = 0;
        boolean smaps = s.rollup() != null;
        for (Region r : shown) {
            size += r.mapping().size();
            Smaps sm = r.smaps();
            if (sm != null) {
                smaps = true;
                rss += sm.rss();
                pss += sm.pss();
                swap += sm.swap();
                thp += sm.has("AnonHugePages") ? sm.get("AnonHugePages") : 0;
            }
        }
        if (!smaps) {
            return new MappingTotals(MappingTotals.SUM_OF_SHOWN, shown.size(), size, null, null, null, null);
        }
        Smaps roll = s.rollup();
        if (all && roll != null) {
            return new MappingTotals(MappingTotals.ROLLUP, shown.size(), size, roll.rss(), roll.pss(), roll.swap(),
                    roll.has("AnonHugePages") ? roll.get("AnonHugePages") : 0L);
        }
        return new MappingTotals(MappingTotals.SUM_OF_SHOWN, shown.size(), size, rss, pss, swap, thp);
    }
}
