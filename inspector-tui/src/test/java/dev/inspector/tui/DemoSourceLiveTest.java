package dev.inspector.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.inspector.core.demo.DemoRunner;
import dev.inspector.core.demo.Demos;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.demo.StepReport;
import dev.inspector.core.model.Region;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code demo --tui} headless: the demand_paging demo played on Lanterna's virtual terminal. At each stop the step
 * pane shows the narration and each claim with its verdict, the header names the step, and the selected mapping is
 * the one holding the range the sample announced (the sample's own word, not the screen's); Enter goes on; q ends the
 * screen and the sample with it.
 */
@LiveTest
class DemoSourceLiveTest {

    private static String waitFor(DefaultVirtualTerminal t, Predicate<String> p, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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

    /** The model's selected region, read on the screen's thread. */
    private static Region selected(TuiApp app) throws Exception {
        CompletableFuture<Region> f = new CompletableFuture<>();
        app.post(() -> f.complete(app.model().selectedRegion()));
        return f.get(10, TimeUnit.SECONDS);
    }

    private static Region selectedHolding(TuiApp app, long addr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Region r = null;
        while (System.nanoTime() < deadline) {
            r = selected(app);
            if (r != null && r.mapping().contains(addr)) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the selection never held 0x" + Long.toHexString(addr) + ": " + r);
    }

    @Test
    void aDemoPlaysBesideItsLiveMapAndEnterGoesOn() throws Exception {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        TerminalScreen screen = new TerminalScreen(t);
        DemoRunner runner = new DemoRunner(Live.host(), SampleDirectory.locate(), Duration.ofSeconds(30));
        DemoSource src = new DemoSource(Live.host(), runner, Demos.get("demand_paging"), List.of(),
                Duration.ofMillis(250), 0, null);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        TuiApp[] app = new TuiApp[1];
        try (Tui tui = Tui.on(screen, Palette.colour())) {
            Future<Integer> run = ex.submit(() -> tui.map(new MapModel(MapModel.Mode.DEMO, "demo demand_paging",
                    Duration.ofMillis(250)), src, a -> app[0] = a));
            String s = waitFor(t, x -> x.contains("demo: step 1 after_mmap_anon"), "the first stop in the header");
            s = waitFor(t, x -> x.contains("[Step]") && x.contains("claim") && x.contains("Enter: next step"),
                    "the step pane with its claims");
            StepReport first = src.reports().get(0);
            assertTrue(s.contains(first.outcome() == null ? "did" : dev.inspector.present.DemoView.word(
                    first.checks().get(0).verdict())), "a verdict word is shown:\n" + s);
            int pid = first.announced().pid();
            waitFor(t, x -> x.contains(" pid " + pid + " demand_paging"), "the sample's live map");
            // The mapping the sample announced (range.anon) is the one selected.
            SampleStep a1 = first.announced();
            Region r1 = selectedHolding(app[0], a1.range("anon").lo());
            assertEquals(a1.range("anon").lo(), r1.mapping().start(), "the whole announced mapping: " + r1);

            t.addInput(new KeyStroke(KeyType.Enter));
            waitFor(t, x -> x.contains("demo: step 2 after_read_first_half"), "the second stop after Enter");
            SampleStep a2 = src.reports().get(1).announced();
            selectedHolding(app[0], a2.range("read").lo());

            t.addInput(new KeyStroke('q', false, false));
            assertEquals(0, run.get(30, TimeUnit.SECONDS));
            assertEquals(2, src.reports().size(), "q ended the demo at its second stop");
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (h != null && h.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(h != null && h.isAlive(), "the sample was ended with the screen");
            assertNotNull(first.did());
        } finally {
            ex.shutdownNow();
        }
    }
}
