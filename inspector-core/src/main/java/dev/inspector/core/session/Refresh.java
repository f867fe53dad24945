package dev.inspector.core.session;

import dev.inspector.core.InspectorException;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Snapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A refresh loop over one {@link InspectionSession}: a snapshot every interval, each with its diff against the
 * previous one, handed to a {@link Listener}, until the target exits (reported once, with its status where it can be
 * known), a count is reached or {@link #stop()} is called. Points are due at fixed times from the first one; a slow
 * snapshot moves the schedule instead of bursting to catch up.
 *
 * <p>Cost-aware: each refresh's wall time is measured, and the CPU time the whole process spent since the previous
 * point (every thread: this loop's reads, a screen drawing the point, the garbage collector and the JIT; reading
 * /proc is system time): that is what a user sees in top. With a CPU budget ({@link #cpuBudget}), an interval at
 * which the process would use more than that share of one core is lengthened (and said so in
 * {@link Stats#backedOff()}), up to {@link #MAX_BACKOFF}, and shortened again when the cost drops.
 *
 * <p>Robust against a moving target: a read torn by concurrent mmap/munmap is retried a few times (by
 * {@link InspectionSession#snapshot}); when it stays torn, {@link Listener#failed} is told and the loop goes on, so one
 * bad read never ends a recording. Only a process verified gone ends it ({@link InspectionSession#exitIfGone}): a
 * main thread that called pthread_exit while others run on (ps shows {@code Zl}) is alive, not exited. The control
 * methods ({@link #pause}, {@link #refreshNow}, {@link #setInterval}, {@link #stop}) may be called from any thread.
 */
public final class Refresh {

    /** What a refresh loop reports. Called on the loop's thread. */
    public interface Listener {
        /** A new point; {@code sincePrevious} is null for the first. */
        void snapshot(Snapshot snapshot, DiffResult sincePrevious, Stats stats);

        /** The target is gone (or its PID now belongs to another process); the loop ends after this. */
        void exited(TargetExit exit);

        /** A refresh failed while the target lives on (torn again and again, or refused); the loop goes on. */
        default void failed(InspectorException error, Stats stats) {
        }
    }

    /**
     * The cost of the last refresh ({@code point}: its index, the first is 0): {@code cost} its wall time, {@code cpu}
     * the whole process's CPU time since the previous point (for the first, the refresh's own), the {@code interval}
     * in force after it, whether it was lengthened from the one asked for, and how many torn reads were retried.
     */
    public record Stats(int point, Duration cost, Duration cpu, Duration interval, boolean backedOff, int retries) {
        /** CPU time per interval: the share of one core the process uses at this refresh rate. */
        public double cpuShare() {
            return interval.isZero() ? 0 : (double) cpu.toNanos() / interval.toNanos();
        }
    }

    /**
     * The longest interval a CPU budget sets: the process also spends CPU between points (its screen, the JVM), and
     * when that alone exceeds the budget no interval meets it.
     */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /**
     * Points not judged against the budget: the process's CPU time between the first points is mostly the JVM
     * starting (class loading, the JIT compiling the refresh path, a screen opening), which a longer interval would
     * not save (measured: a 36-mapping process backed off to 5.6 s on its second point, then used 1% at 1 s).
     */
    static final int WARM_UP = 3;

    /**
     * How often a point reads every file even when maps, the fault counters and smaps_rollup say smaps did not move:
     * bounds how long a change that cancels out in the rollup could go unseen (see {@code SnapshotBuilder}).
     */
    static final int FULL_EVERY = 10;

    private final InspectionSession session;
    private final SnapshotOptions options;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private long lastProcessCpu = -1;
    private Duration requested;
    private Duration effective;
    private double budget;
    private boolean paused;
    private boolean stopped;
    private boolean now;
    private Snapshot previous;
    private int points;

    Refresh(InspectionSession session, SnapshotOptions options, Duration interval, Listener listener) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a refresh interval must be positive, not " + interval);
        }
        this.session = session;
        this.options = options;
        this.listener = listener;
        this.requested = interval;
        this.effective = interval;
    }

    /**
     * Lengthens the interval when a refresh costs more than {@code share} of one core (0.03 = 3%); 0 (the default)
     * never does. Returns this.
     */
    public Refresh cpuBudget(double share) {
        lock.lock();
        try {
            this.budget = share;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Runs on the calling thread until {@code count} points were taken (null: no limit), the target exits or
     * {@link #stop()}. The first snapshot's errors (no such process, access denied) are thrown; later ones end the
     * loop through {@link Listener#exited} or are reported through {@link Listener#failed}. Returns the number of
     * points taken. An interrupt stops the loop (and keeps the flag).
     */
    public int run(Integer count) {
        long next = System.nanoTime(); // when the next point is due
        boolean first = true;
        while (count == null || points < count) {
            if (!first) {
                long at = waitFor(next);
                if (at < 0) {
                    break;
                }
                next = Math.max(next, at); // late (a slow snapshot, a pause, refresh-now): keep the interval from here
            }
            if (!refreshOnce(first)) {
                break;
            }
            first = false;
            next += effectiveNanos();
        }
        return points;
    }

    /** Starts {@link #run(Integer)} without a count on a daemon thread named after the pid. */
    public Thread start() {
        Thread t = new Thread(() -> {
            try {
                run(null);
            } catch (InspectorException e) {
                listener.failed(e, new Stats(0, Duration.ZERO, Duration.ZERO, interval(), false, 0));
            }
        }, "refresh-" + session.pid());
        t.setDaemon(true);
        t.start();
        return t;
    }

    public void stop() {
        signal(() -> stopped = true);
    }

    public void pause() {
        signal(() -> paused = true);
    }

    public void resume() {
        signal(() -> paused = false);
    }

    public boolean paused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the next point at once (also while paused). */
    public void refreshNow() {
        signal(() -> now = true);
    }

    /** The interval asked for; the loop may lengthen it under a CPU budget. */
    public void setInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a refresh interval must be positive, not " + interval);
        }
        signal(() -> {
            requested = interval;
            effective = interval;
        });
    }

    /** The interval in force (the one asked for, or longer under a CPU budget). */
    public Duration interval() {
        lock.lock();
        try {
            return effective;
        } finally {
            lock.unlock();
        }
    }

    public Duration requestedInterval() {
        lock.lock();
        try {
            return requested;
        } finally {
            lock.unlock();
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long effectiveNanos() {
        lock.lock();
        try {
            return effective.toNanos();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code due} (System.nanoTime), a refresh-now or a resume; returns the time it woke, or -1 when
     * stopped or interrupted.
     */
    private long waitFor(long due) {
        lock.lock();
        try {
            while (!stopped) {
                long t = System.nanoTime();
                if (now) {
                    now = false;
                    return t;
                }
                if (paused) {
                    wake.await();
                    if (!paused && !stopped) {
                        return System.nanoTime(); // resumed: a point at once
                    }
                } else if (due - t <= 0) {
                    return t;
                } else {
                    wake.awaitNanos(due - t);
                }
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /** One point; false when the loop must end (the target is gone). */
    private boolean refreshOnce(boolean first) {
        long start = System.nanoTime();
        long cpu0 = threads.getCurrentThreadCpuTime();
        Snapshot s;
        try {
            // Torn reads are retried there, a few times. Every FULL_EVERY-th point reads everything; the others may
            // take unchanged smaps over from the previous point.
            s = session.snapshot(options, points % FULL_EVERY == 0 ? null : previous);
        } catch (NoSuchProcess | ProcessGone e) {
            if (first) {
                throw e;
            }
            TargetExit exit = session.exitIfGone();
            if (exit == null) {
                // Still the same live process (say, a thread it was read through ended): a lost point, not an exit.
                listener.failed(e, stats(start, cpu0, session.lastRetries()));
                return true;
            }
            listener.exited(exit);
            return false;
        } catch (InspectorException e) {
            if (first) {
                throw e;
            }
            listener.failed(e, stats(start, cpu0, session.lastRetries()));
            return true;
        }
        DiffResult d = previous == null ? null : SnapshotDiff.compare(previous, s);
        previous = s;
        Stats st = stats(start, cpu0, session.lastRetries()); // point: this one's index, from 0
        points++;
        listener.snapshot(s, d, st);
        return true;
    }

    /** The CPU time of every thread of this process so far, or -1 where the JVM does not say. */
    private long processCpu() {
        return os instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime() : -1;
    }

    /** Measures the refresh just made and applies the CPU budget to the interval. */
    private Stats stats(long start, long cpu0, int retries) {
        Duration cost = Duration.ofNanos(System.nanoTime() - start);
        long cpu1 = threads.getCurrentThreadCpuTime();
        long own = cpu0 < 0 || cpu1 < 0 ? cost.toNanos() : cpu1 - cpu0;
        long process = processCpu();
        Duration cpu = Duration.ofNanos(process >= 0 && lastProcessCpu >= 0 ? process - lastProcessCpu : own);
        lastProcessCpu = process;
        lock.lock();
        try {
            boolean backedOff = false;
            if (budget > 0 && points >= WARM_UP) {
                long needed = (long) (cpu.toNanos() / budget);
                // Round up to 100 ms so the interval shown is readable and does not jitter with every refresh.
                long step = TimeUnit.MILLISECONDS.toNanos(100);
                needed = (needed + step - 1) / step * step;
                needed = Math.min(needed, MAX_BACKOFF.toNanos());
                effective = needed > requested.toNanos() ? Duration.ofNanos(needed) : requested;
                backedOff = effective.compareTo(requested) > 0;
            }
            return new Stats(points, cost, cpu, effective, backedOff, retries);
        } finally {
            lock.unlock();
        }
    }
}
