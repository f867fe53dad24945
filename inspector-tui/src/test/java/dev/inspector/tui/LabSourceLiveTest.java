package dev.inspector.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.inspector.core.lab.Lab;
import dev.inspector.core.lab.StepResult;
import dev.inspector.core.model.Region;
import dev.inspector.core.procfs.ProcFs;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab --tui} headless: after the lab's mmap step the inspector's own map shows the new mapping, selected; after
 * the mprotect step the selection holds the range the lab re-protected, now a mapping of its own (the split); after
 * the brk step, the heap.
 */
@LiveTest
class LabSourceLiveTest {

    private static Region selected(TuiApp app) throws Exception {
        CompletableFuture<Region> f = new CompletableFuture<>();
        app.post(() -> f.complete(app.model().selectedRegion()));
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Waits until {@code n} steps ran and the selection is the mapping starting where the last one worked. */
    private static Region after(LabSource src, TuiApp app, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Region r = null;
        while (System.nanoTime() < deadline) {
            List<StepResult> done = src.results();
            if (done.size() >= n) {
                Long at = LabSource.touched(done.get(n - 1));
                r = selected(app);
                if (at != null && r != null && r.mapping().start() == at) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("after step " + n + " the selection is " + r);
    }

    @Test
    void eachStepsMappingIsSelectedInTheOwnMap() throws Exception {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        TerminalScreen screen = new TerminalScreen(t);
        Lab lab = new Lab(Lab.Options.defaults(), ProcFs.system(), Live.features());
        LabSource src = new LabSource(Live.host(), lab, Duration.ofMillis(250), 0, Duration.ofHours(1));
        src.begin();
        src.awaitFirst(Duration.ofSeconds(10));
        ExecutorService ex = Executors.newSingleThreadExecutor();
        TuiApp[] app = new TuiApp[1];
        try (Tui tui = Tui.on(screen, Palette.colour())) {
            Future<Integer> run = ex.submit(() -> tui.map(new MapModel(MapModel.Mode.LAB, "the lab (self)",
                    Duration.ofMillis(250)), src, a -> app[0] = a));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!TuiFixtures.text(t).contains("START") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            t.addInput(new KeyStroke('x', false, false)); // mmap
            Region mapped = after(src, app[0], 1);
            StepResult mmap = src.results().get(0);
            assertEquals(mmap.after().range().start(), mapped.mapping().start(), "the new mapping itself");
            for (int i = 2; i <= 4; i++) { // read, write, mprotect
                t.addInput(new KeyStroke('x', false, false));
                after(src, app[0], i);
            }
            StepResult mprotect = src.results().get(3);
            Region split = after(src, app[0], 4);
            // The re-protected middle page is a mapping of its own now, read-only: the selection is exactly it.
            assertTrue(split.mapping().size() < mmap.after().range().end() - mmap.after().range().start(),
                    "the split part is smaller than the whole mapping: " + split);
            assertTrue(Long.compareUnsigned(split.mapping().start(), mmap.after().range().start()) > 0, split.toString());
            assertEquals("r--p", split.mapping().perms().toString(), split.toString());
            assertTrue(mprotect.after().lines().size() >= 3, "the kernel shows the split: " + mprotect.after().lines());
            for (int i = 5; i <= Lab.STEPS.size(); i++) { // ... munmap, brk
                t.addInput(new KeyStroke('x', false, false));
                after(src, app[0], i);
            }
            // The break moved up and back: the heap is what the last step is about.
            assertEquals(dev.inspector.core.model.RegionKind.HEAP, selected(app[0]).kind());
            t.addInput(new KeyStroke('q', false, false));
            assertEquals(0, run.get(20, TimeUnit.SECONDS));
        } finally {
            src.stop();
            ex.shutdownNow();
        }
    }
}
