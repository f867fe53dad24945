package dev.inspector.core.json;

import dev.inspector.core.BadInput;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An input file as the readers need it. A regular file is used as it is. Anything else (a FIFO, the pipe of a shell's
 * process substitution {@code <(...)}, a terminal) is read once into a temporary file, so that readers that open
 * their input more than once (the kind first, then the document) see the same bytes, and with a bound on waiting:
 * when no byte arrives for {@link #IDLE} (nobody opened the FIFO for writing, or the writer stalled), the command
 * stops with one line instead of waiting forever. Input that does not start like a JSON object ends the copy at once
 * (a device such as /dev/zero would never end), and so does one larger than {@link #MAX_BYTES}.
 */
public final class InputFile implements AutoCloseable {

    /** The longest wait for the next byte of a FIFO or pipe. */
    public static final Duration IDLE = Duration.ofSeconds(30);
    /** The most bytes read from a FIFO or pipe. */
    public static final long MAX_BYTES = 8L << 30;

    private final Path path;
    private final Path temporary;

    private InputFile(Path path, Path temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** {@code file} ready to read, waiting at most {@link #IDLE} per byte when it is not a regular file. */
    public static InputFile open(Path file) {
        return open(file, IDLE);
    }

    public static InputFile open(Path file, Duration idle) {
        if (!Files.exists(file) || Files.isRegularFile(file) || Files.isDirectory(file)) {
            return new InputFile(file, null); // the readers say what is wrong with a missing file or a directory
        }
        Path tmp;
        try {
            tmp = Files.createTempFile("inspector-input-", ".json");
        } catch (IOException e) {
            throw new BadInput("cannot read " + file + ": no temporary file to hold it (" + e.getMessage() + ")", e);
        }
        try {
            new Copy(file, tmp).run(idle);
        } catch (RuntimeException e) {
            delete(tmp);
            throw e;
        }
        return new InputFile(file, tmp);
    }

    /** The file to read: the input itself, or the copy of it. */
    public Path path() {
        return temporary != null ? temporary : path;
    }

    /** {@link SnapshotJson#kindOf}, messages naming the input. */
    public String kind() {
        return SnapshotJson.kindOf(path(), path.toString());
    }

    /** {@link SnapshotJson#read(Path)}, messages naming the input. */
    public dev.inspector.core.model.Snapshot snapshot() {
        return SnapshotJson.read(path(), path.toString());
    }

    /** {@link TimelineReader#read(Path)}, messages naming the input. */
    public Timeline timeline() {
        return TimelineReader.read(path(), path.toString());
    }

    @Override
    public void close() {
        if (temporary != null) {
            delete(temporary);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file in the temporary directory; nothing else depends on it
        }
    }

    /** The copy runs on a daemon thread (open(2) of a FIFO blocks until a writer comes); this thread keeps time. */
    private static final class Copy {
        private final Path from;
        private final Path to;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition progress = lock.newCondition();
        private long bytes;
        private boolean opened;
        private boolean done;
        private IOException error;
        private String stop;

        Copy(Path from, Path to) {
            this.from = from;
            this.to = to;
        }

        void run(Duration idle) {
            Thread t = new Thread(this::copy, "input-" + from.getFileName());
            t.setDaemon(true);
            t.start();
            lock.lock();
            try {
                long seen = bytes;
                boolean wasOpened = opened;
                long deadline = System.nanoTime() + idle.toNanos();
                while (!done) {
                    if (bytes != seen || opened != wasOpened) {
                        seen = bytes;
                        wasOpened = opened;
                        deadline = System.nanoTime() + idle.toNanos();
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        release(t);
                        throw new BadInput(from + ": " + (opened ? "no more data came for " : "nobody wrote to it for ")
                                + seconds(idle) + " (" + (opened ? "the writer stalled after " + bytes + " bytes"
                                : "a FIFO without a writer?") + "); stopped waiting");
                    }
                    progress.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                release(t);
                throw new BadInput(from + ": interrupted while waiting for its data");
            } finally {
                lock.unlock();
            }
            if (error != null) {
                throw In.readError(from, error);
            }
            if (stop != null) {
                throw new BadInput(from + ": " + stop);
            }
        }

        private void copy() {
            try (InputStream in = Files.newInputStream(from);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(FileChannel.open(to,
                         StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
                signal(() -> opened = true);
                byte[] buf = new byte[1 << 16];
                boolean checked = false;
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    total += n;
                    if (!checked) {
                        int first = firstNonBlank(buf, n);
                        if (first >= 0) {
                            checked = true;
                            if (buf[first] != '{') {
                                break; // not JSON: the reader reports what it found, from these bytes
                            }
                        }
                    }
                    if (total > MAX_BYTES) {
                        long t = total;
                        signal(() -> stop = "more than " + (MAX_BYTES >> 30) + " GiB (" + t + " bytes read); not a"
                                + " snapshot or timeline the inspector wrote");
                        return;
                    }
                    long b = total;
                    signal(() -> bytes = b);
                }
            } catch (IOException e) {
                signal(() -> error = e);
            } finally {
                signal(() -> done = true);
            }
        }

        private void signal(Runnable change) {
            lock.lock();
            try {
                change.run();
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Lets a copy blocked in open(2) go: opening the FIFO for writing completes the reader's open, and closing it
         * is an end of file. A copy blocked in read(2) under a writer that stays silent stays blocked, on a daemon
         * thread that ends with the process.
         */
        private void release(Thread copier) {
            Thread t = new Thread(() -> {
                try (FileChannel ignored = FileChannel.open(from, StandardOpenOption.WRITE)) {
                    // opened and closed: the blocked reader sees an end of file
                } catch (IOException | RuntimeException ignored) {
                    // not a FIFO, or gone: nothing to release
                }
            }, "input-release");
            t.setDaemon(true);
            t.start();
            copier.interrupt();
        }

        private static int firstNonBlank(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                if (b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
                    return i;
                }
            }
            return -1;
        }

        private static String seconds(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
    }
}
