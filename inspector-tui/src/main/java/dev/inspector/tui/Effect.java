package dev.inspector.tui;

import dev.inspector.core.model.Mapping;

import java.time.Duration;

/**
 * What the screen model asks its surroundings to do after a key: the model never reads /proc, writes files or talks
 * to the refresh loop itself, so tests see exactly what a key would do.
 */
public sealed interface Effect {

    /** Leave the screen with this exit code. */
    record Quit(int code) implements Effect {
    }

    record Pause(boolean paused) implements Effect {
    }

    record RefreshNow() implements Effect {
    }

    record SetInterval(Duration interval) implements Effect {
    }

    /** Write the shown snapshot as JSON (the existing snapshot format) to {@code path}. */
    record Save(String path) implements Effect {
    }

    /** Walk {@code address} through the page tables (the translate command's walk) and show it in a popup. */
    record Translate(long address) implements Effect {
    }

    /**
     * Read the residency of part of a mapping for the detail pane: {@code window} is the part, {@code cells} the
     * number of heat-map cells over it, {@code frames} whether to read PFNs and kpageflags (root), {@code runs}
     * whether to keep page runs (to compare with the baseline). {@code generation} ties the answer to the request.
     */
    record LoadDetail(Mapping mapping, Mapping window, int cells, boolean frames, boolean runs, long generation)
            implements Effect {
    }

    /** Set (true) or clear the baseline: the shown snapshot, and the page residency of every mapping now. */
    record Baseline(boolean set) implements Effect {
    }

    /** Replay: move by {@code delta} points, or to point {@code index} (when {@code absolute}). */
    record Step(int delta, boolean absolute) implements Effect {
    }

    /** Replay: play or stop. */
    record Play(boolean playing) implements Effect {
    }

    /** Lab: run the next step. */
    record NextLabStep() implements Effect {
    }
}
