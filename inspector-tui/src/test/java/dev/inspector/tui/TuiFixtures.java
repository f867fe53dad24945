package dev.inspector.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.Host;
import dev.inspector.core.session.Refresh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic input for screen tests: the snapshot of a captured /proc tree (core's {@code tricky} fixture: a
 * process with awkward names, captured from a real run), a second point derived from it with known changes, and
 * rendering on Lanterna's virtual terminal as text.
 */
final class TuiFixtures {

    private TuiFixtures() {
    }

    static Path repo() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("inspector-core"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no repository root above " + Paths.get("").toAbsolutePath());
        }
        return p;
    }

    static Path trickyRoot() {
        return dev.inspector.core.testing.Fixtures.proc("tricky");
    }

    private static Snapshot tricky;

    /**
     * The tricky fixture's snapshot as core's fixture helper reads it: taken at the capture's time (so the screens are
     * the same on every run), maps, smaps, rollup and threads.
     */
    static Snapshot tricky() {
        return dev.inspector.core.testing.Fixtures.snapshot("tricky");
    }

    /** The region of a kind (the first one). */
    static Region first(Snapshot s, RegionKind k) {
        for (Region r : s.regions()) {
            if (r.kind() == k) {
                return r;
            }
        }
        throw new AssertionError("no " + k + " in the fixture");
    }

    /**
     * A second point one second later: [heap] grew up by 64 KiB (its Rss by 16 KiB), a 1 MiB anonymous mapping
     * appeared 16 MiB below the lowest library-area mapping, and the memfd mapping went away.
     */
    static Snapshot changed(Snapshot s) {
        List<Region> out = new ArrayList<>();
        long lowestMmap = Long.MAX_VALUE;
        for (Region r : s.regions()) {
            long st = r.mapping().start();
            if (st > 0x7f0000000000L && st < lowestMmap) {
                lowestMmap = st;
            }
        }
        long addStart = lowestMmap - (16L << 20);
        Mapping added = new Mapping(addStart, addStart + (1L << 20), dev.inspector.core.model.Perms.parse("rw-p"), 0,
                0, 0, 0, dev.inspector.core.model.MappingPath.ANONYMOUS);
        boolean placed = false;
        for (Region r : s.regions()) {
            Mapping m = r.mapping();
            if (!placed && Long.compareUnsigned(m.start(), addStart) > 0) {
                out.add(new Region(added, RegionKind.ANONYMOUS, null, List.of(), "test: added", null,
                        smaps(4096 * 4, 0), null, null));
                placed = true;
            }
            if (m.path().isMemfd()) {
                continue;
            }
            if (r.kind() == RegionKind.HEAP) {
                Mapping grown = new Mapping(m.start(), m.end() + 0x10000, m.perms(), m.offset(), m.devMajor(),
                        m.devMinor(), m.inode(), m.path());
                out.add(new Region(grown, r.kind(), r.owner(), r.sections(), r.evidence(), r.tid(),
                        smaps(r.smaps().rss() + 16384, r.smaps().swap()), null, null));
                continue;
            }
            out.add(r);
        }
        return new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt().plusSeconds(1), s.host(), s.process(), out,
                s.threads(), s.bases(), s.kernel(), s.rollup());
    }

    static Smaps smaps(long rss, long swap) {
        Map<String, Long> b = new LinkedHashMap<>();
        b.put("Size", 0L);
        b.put("Rss", rss);
        b.put("Pss", rss);
        b.put("Swap", swap);
        return new Smaps(b, Map.of(), null);
    }

    static Refresh.Stats stats(int point) {
        return new Refresh.Stats(point, Duration.ofMillis(12), Duration.ofMillis(10), Duration.ofSeconds(1), false, 0);
    }

    /** A live model showing the fixture (and, with {@code second}, the changed point after it). */
    static MapModel model(int cols, int rows, boolean second) {
        MapModel m = new MapModel(MapModel.Mode.LIVE, "pid test", Duration.ofSeconds(1));
        m.resize(cols, rows);
        Snapshot a = tricky();
        m.frame(Frame.live(a, null, null, stats(0)));
        if (second) {
            Snapshot b = changed(a);
            m.frame(Frame.live(b, SnapshotDiff.compare(a, b), null, stats(1)));
        }
        return m;
    }

    /** The model drawn on a virtual terminal of that size, as text (trailing spaces cut). */
    static String render(MapModel m, int cols, int rows, Palette p) {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
        try {
            TerminalScreen s = new TerminalScreen(t);
            s.startScreen();
            MapScreen.draw(m, new Canvas(s.newTextGraphics(), p, cols, rows));
            s.refresh();
            return text(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(DefaultVirtualTerminal t) {
        TerminalSize size = t.getTerminalSize();
        StringBuilder b = new StringBuilder();
        for (int y = 0; y < size.getRows(); y++) {
            StringBuilder line = new StringBuilder();
            for (int x = 0; x < size.getColumns(); x++) {
                TextCharacter c = t.getCharacter(x, y);
                line.append(c == null ? " " : c.getCharacterString());
            }
            b.append(line.toString().replaceAll("\\s+$", "")).append('\n');
        }
        return b.toString();
    }

    static com.googlecode.lanterna.input.KeyStroke key(char c) {
        return new com.googlecode.lanterna.input.KeyStroke(c, false, false);
    }

    static com.googlecode.lanterna.input.KeyStroke key(com.googlecode.lanterna.input.KeyType t) {
        return new com.googlecode.lanterna.input.KeyStroke(t);
    }

    /** Compares with a golden screen under src/test/resources/tui/golden; -Dtui.golden.update=true rewrites it. */
    static void assertGolden(String name, String actual) {
        Path p = repo().resolve("inspector-tui/src/test/resources/tui/golden/" + name + ".txt");
        try {
            if (Boolean.getBoolean("tui.golden.update") || !Files.exists(p)) {
                if (!Boolean.getBoolean("tui.golden.update")) {
                    throw new AssertionError("no golden screen " + p + ": run with -Dtui.golden.update=true, check it"
                            + " by eye, commit it\n" + actual);
                }
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
                return;
            }
            org.junit.jupiter.api.Assertions.assertEquals(Files.readString(p), actual, "screen " + name
                    + " differs from " + p + " (-Dtui.golden.update=true rewrites it after a deliberate change)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
