package dev.inspector.core.elf;

import dev.inspector.core.BadInput;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one file's read with a deadline. A blocked open or read (a FUSE daemon that never answers, a hung network
 * filesystem) cannot be interrupted from Java, so the work runs on a daemon thread and the caller stops waiting at the
 * deadline; the thread stays blocked until the kernel lets it go. While {@code maxStuck} such threads are still
 * blocked, further reads are refused at once, so a filesystem that hangs costs each caller at most
 * {@code maxStuck * timeout} in total, and at most {@code maxStuck} threads.
 */
final class BoundedTime {

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "inspector-elf-read");
        t.setDaemon(true);
        return t;
    });

    private final long timeoutMillis;
    private final int maxStuck;
    private final AtomicInteger stuck = new AtomicInteger();

    /** {@code timeoutMillis <= 0}: run on the calling thread, unbounded (for callers that bound time themselves). */
    BoundedTime(long timeoutMillis, int maxStuck) {
        this.timeoutMillis = timeoutMillis;
        this.maxStuck = maxStuck;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Reads still blocked past their deadline. */
    int stuck() {
        return stuck.get();
    }

    /** Runs {@code task}; a {@link BadInput} naming {@code what} when it does not finish in time. */
    <T> T call(Callable<T> task, String what) {
        if (timeoutMillis <= 0) {
            return unchecked(task);
        }
        int blocked = stuck.get();
        if (blocked >= maxStuck) {
            throw new BadInput(what + ": not read: " + blocked + " earlier reads of mapped files are still blocked"
                    + " (a filesystem that does not answer)");
        }
        AtomicBoolean settled = new AtomicBoolean();
        Future<T> f = POOL.submit(() -> {
            try {
                return task.call();
            } finally {
                if (!settled.compareAndSet(false, true)) {
                    stuck.decrementAndGet(); // the caller gave up on us earlier: we are no longer blocked
                }
            }
        });
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (settled.compareAndSet(false, true)) {
                stuck.incrementAndGet();
                throw new BadInput(what + ": no answer within " + timeoutMillis + " ms (the filesystem does not"
                        + " respond); not read");
            }
            return settledResult(f, what); // it finished between the timeout and here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput(what + ": interrupted while reading");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), what);
        }
    }

    private static <T> T settledResult(Future<T> f, String what) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInput(what + ": interrupted while reading");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), what);
        }
    }

    private static <T> T unchecked(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new BadInput(e.getMessage(), e);
        }
    }

    private static RuntimeException rethrow(Throwable cause, String what) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new BadInput(what + ": " + cause, cause);
    }
}
