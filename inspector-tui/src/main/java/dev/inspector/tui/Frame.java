package dev.inspector.tui;

import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.Refresh;

/**
 * One point shown on the map screen: the snapshot, its diff with the previous point (null for the first), its diff
 * with the baseline when one is set, what the refresh cost ({@code stats}, null in a replay), and, for a replay, the
 * point's index among {@code points}.
 */
public record Frame(Snapshot snapshot, DiffResult sincePrevious, DiffResult sinceBaseline, Refresh.Stats stats,
                    int point, int points) {

    public static Frame live(Snapshot s, DiffResult d, DiffResult baseline, Refresh.Stats stats) {
        return new Frame(s, d, baseline, stats, stats == null ? 0 : stats.point(), -1);
    }

    public boolean replay() {
        return points >= 0;
    }
}
