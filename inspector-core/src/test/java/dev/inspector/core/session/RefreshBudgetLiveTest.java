package dev.inspector.core.session;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU budget counts the whole process: CPU burnt on another thread between two points is in the later point's
 * cost, and an impossible budget lengthens the interval only up to the cap, and only after the start-up points.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class RefreshBudgetLiveTest {

    @Test
    void anotherThreadsCpuCountsAndTheBackOffIsCapped() throws Exception {
        Host host = Live.host();
        InspectionSession session = host.session(host.selfPid());
        List<Refresh.Stats> stats = new ArrayList<>();
        long[] burnt = new long[1];
        Refresh[] r = new Refresh[1];
        r[0] = session.refresh(SnapshotOptions.maps(), Duration.ofMillis(10), new Refresh.Listener() {
            @Override
            public void snapshot(Snapshot s, DiffResult d, Refresh.Stats st) {
                stats.add(st);
                if (stats.size() == Refresh.WARM_UP) {
                    burnt[0] = burnOtherThread(200);
                }
                r[0].refreshNow(); // a lengthened interval is not waited for
            }

            @Override
            public void exited(TargetExit exit) {
            }
        }).cpuBudget(1e-6);
        r[0].run(Refresh.WARM_UP + 1);
        assertEquals(Refresh.WARM_UP + 1, stats.size());
        for (int i = 0; i < Refresh.WARM_UP; i++) {
            assertFalse(stats.get(i).backedOff(), "the start-up points are not judged: " + stats.get(i));
        }
        Refresh.Stats second = stats.get(Refresh.WARM_UP);
        assertTrue(second.cpu().toNanos() >= burnt[0], "the second point's cost " + second.cpu()
                + " holds the other thread's " + Duration.ofNanos(burnt[0]));
        assertTrue(second.backedOff());
        assertEquals(Refresh.MAX_BACKOFF, second.interval());

        // Without a budget the interval stays.
        List<Refresh.Stats> plain = new ArrayList<>();
        session.refresh(SnapshotOptions.maps(), Duration.ofMillis(10), new Refresh.Listener() {
            @Override
            public void snapshot(Snapshot s, DiffResult d, Refresh.Stats st) {
                plain.add(st);
            }

            @Override
            public void exited(TargetExit exit) {
            }
        }).run(Refresh.WARM_UP + 1);
        assertFalse(plain.get(Refresh.WARM_UP).backedOff());
        assertEquals(Duration.ofMillis(10), plain.get(Refresh.WARM_UP).interval());
    }

    /** Spins another thread for at least {@code millis} of its own CPU time; returns the CPU time it used. */
    private static long burnOtherThread(long millis) {
        long[] used = new long[1];
        Thread t = new Thread(() -> {
            var mx = ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long x = 0;
            while (mx.getCurrentThreadCpuTime() - c0 < millis * 1_000_000) {
                x += System.nanoTime() % 7;
            }
            used[0] = mx.getCurrentThreadCpuTime() - c0 + (x == -1 ? 1 : 0);
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return used[0];
    }
}
