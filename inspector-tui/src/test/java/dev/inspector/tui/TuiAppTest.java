package dev.inspector.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.inspector.core.json.Timeline;
import dev.inspector.core.json.TimelineReader;
import dev.inspector.core.json.TimelineWriter;
import dev.inspector.core.model.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole screen loop on Lanterna's virtual terminal: keys typed into the terminal, points from a replayed
 * timeline, resize, quit. Waits poll the screen's text (the loop runs on its own threads) with a generous deadline.
 */
class TuiAppTest {

    private static Timeline timeline() {
        Snapshot a = TuiFixtures.tricky();
        Snapshot b = TuiFixtures.changed(a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TimelineWriter w = new TimelineWriter(out, false, "test")) {
            w.append(a);
            w.append(b);
            w.exit(b.takenAt().plusSeconds(1), 0, "exited with status 0");
        }
        return TimelineReader.read(new ByteArrayInputStream(out.toByteArray()), "test.ndjson");
    }

    private static String waitFor(DefaultVirtualTerminal t, Predicate<String> p, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = TuiFixtures.text(t);
            if (p.test(s)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the screen never showed " + what + ":\n" + s);
    }

    @Test
    void replayStepsThroughATimelineAndQuits() throws Exception {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        TerminalScreen screen = new TerminalScreen(t);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (Tui tui = Tui.on(screen, Palette.colour())) {
            Future<Integer> run = ex.submit(() -> tui.map(new MapModel(MapModel.Mode.REPLAY, "test.ndjson",
                    Duration.ofSeconds(1)), new ReplaySource(timeline())));
            waitFor(t, s -> s.contains("replay point 0/1"), "point 0");
            t.addInput(new KeyStroke(']', false, false));
            String s = waitFor(t, x -> x.contains("↑+"), "the second point's marks");
            assertTrue(s.contains("exited with status 0"), "the recording's exit record is shown:\n" + s);
            t.addInput(new KeyStroke('{', false, false));
            waitFor(t, x -> x.contains("replay point 0/1") && !x.contains("↑+"), "back to point 0");
            t.setTerminalSize(new TerminalSize(70, 20));
            waitFor(t, x -> x.contains("this one is 70x20"), "the too-small message after a resize");
            t.setTerminalSize(new TerminalSize(80, 24));
            waitFor(t, x -> x.contains("START"), "the map again at 80x24");
            t.addInput(new KeyStroke('q', false, false));
            assertEquals(0, run.get(20, TimeUnit.SECONDS));
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void ctrlCQuitsWith130AndEndOfInputWith0() throws Exception {
        for (KeyStroke k : new KeyStroke[] {new KeyStroke('c', true, false), new KeyStroke(KeyType.EOF)}) {
            DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(100, 30));
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try (Tui tui = Tui.on(new TerminalScreen(t), Palette.monochrome())) {
                Future<Integer> run = ex.submit(() -> tui.map(new MapModel(MapModel.Mode.REPLAY, "one.json",
                        Duration.ofSeconds(1)), new ReplaySource(TuiFixtures.tricky())));
                waitFor(t, s -> s.contains("START"), "the map");
                t.addInput(k);
                assertEquals(k.getKeyType() == KeyType.EOF ? 0 : 130, run.get(20, TimeUnit.SECONDS));
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void theTimelineFixtureIsWhatTheTestsThinkItIs() {
        Timeline tl = timeline();
        assertEquals(2, tl.size());
        assertTrue(tl.exit().isPresent());
        assertTrue(tl.points().get(1).takenAt().isAfter(tl.points().get(0).takenAt()));
        assertTrue(tl.exit().get().takenAt().isAfter(Instant.EPOCH));
        assertTrue(new String(new byte[0], StandardCharsets.UTF_8).isEmpty());
        assertTrue(Path.of(".").toAbsolutePath() != null);
    }

    @TempDir
    Path dir;
}
