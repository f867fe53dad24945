package dev.inspector.tui;

import dev.inspector.present.KindSummary;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.Refresh;

/**
 * One point shown on the map screen: the snapshot, its diff with the previous point (null for the first), its diff
 * with the baseline when one is set, what the refresh cost ({@code stats}, null in a replay), and, for a replay, the
 * point's index among {@code points}. The summary by kind and the address-space column's preparation are computed
 * where the frame is made (the refresh loop's thread), not on the screen's; {@code features} are the kernel paths
 * this host offers (null when unknown: a recording, a fixture).
 */
public record Frame(Snapshot snapshot, DiffResult sincePrevious, DiffResult sinceBaseline, Refresh.Stats stats,
                    int point, int points, KindSummary summary, AddressColumn.Prepared column,
                    HostInfo.Features features) {

    public Frame(Snapshot snapshot, DiffResult sincePrevious, DiffResult sinceBaseline, Refresh.Stats stats, int point,
                 int points) {
        this(snapshot, sincePrevious, sinceBaseline, stats, point, points, null);
    }

    public Frame(Snapshot snapshot, DiffResult sincePrevious, DiffResult sinceBaseline, Refresh.Stats stats, int point,
                 int points, HostInfo.Features features) {
        this(snapshot, sincePrevious, sinceBaseline, stats, point, points, KindSummary.of(snapshot),
                AddressColumn.prepare(snapshot.regions(), snapshot.host().pagingLevels() == 5 ? 57 : 48),
                features != null ? features : snapshot.host().features());
    }

    public static Frame live(Snapshot s, DiffResult d, DiffResult baseline, Refresh.Stats stats) {
        return new Frame(s, d, baseline, stats, stats == null ? 0 : stats.point(), -1);
    }

    public static Frame live(Snapshot s, DiffResult d, DiffResult baseline, Refresh.Stats stats,
                             HostInfo.Features features) {
        return new Frame(s, d, baseline, stats, stats == null ? 0 : stats.point(), -1, features);
    }

    public boolean replay() {
        return points >= 0;
    }
}
