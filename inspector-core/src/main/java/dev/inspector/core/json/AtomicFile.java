package dev.inspector.core.json;

import dev.inspector.core.BadInput;
import dev.inspector.core.WriteFailed;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a file so that readers only ever see the old content or the complete new content: the bytes go to a temporary
 * file in the target's directory (same file system, so rename(2) is atomic), which is fsync'ed and then renamed over
 * the target. On any failure, including an exception thrown by the writer callback, the temporary file is deleted and
 * an existing target is left untouched. A temporary file still in progress when the JVM shuts down (Ctrl-C) is deleted
 * by a shutdown hook, so an interrupted write leaves nothing behind; one left by a run killed outright (SIGKILL) is
 * removed by the next run that writes the same name there ({@link #removeStaleTemporaries}). An output that cannot be
 * created or replaced is {@code BadInput} (exit 6); a write that fails part-way (a full disk) is {@code WriteFailed}
 * (exit 11). A symbolic link is followed (the file it names
 * is replaced, the link kept); a target that is not a regular file (a device such as /dev/null, a FIFO) is written in
 * place, since replacing it would destroy it.
 */
public final class AtomicFile {

    /** Writes the content to the stream it is given; must not close it. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The target name meaning standard output. */
    public static final String STDOUT = "-";

    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private AtomicFile() {
    }

    /**
     * Writes the file {@code target} atomically. Standard output ({@link #STDOUT}) is the front end's to write: core
     * never prints.
     */
    public static void write(String target, Content content) {
        if (STDOUT.equals(target)) {
            throw new IllegalArgumentException("standard output is written by the caller, not AtomicFile");
        }
        write(Paths.get(target), content);
    }

    /** Writes {@code target} atomically; see the class comment. */
    public static void write(Path target, Content content) {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) && !Files.isRegularFile(abs) && !Files.isDirectory(abs)) {
            // A device, FIFO or socket (/dev/null, /dev/stdout, a named pipe): written in place. Renaming a file over
            // it would destroy it (as root, /dev/null itself), and atomicity means nothing for a stream.
            writeInPlace(abs, target, content);
            return;
        }
        if (Files.isSymbolicLink(abs)) {
            // The file the link names is replaced and the link stays, as writing through it would do.
            try {
                abs = abs.toRealPath();
            } catch (IOException e) {
                throw new BadInput("cannot write " + target + ": it is a symbolic link to a file that does not exist");
            }
        }
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new BadInput("cannot write " + target + ": it is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInput("cannot write " + target + ": directory " + dir + " does not exist");
        }
        installHook();
        String base = "." + abs.getFileName() + TEMP_MARK;
        removeStaleTemporaries(dir, base);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, base + SELF + "-", ".tmp");
        } catch (AccessDeniedException e) {
            throw new BadInput("cannot write " + target + ": no permission to create a file in " + dir
                    + "; choose another output path");
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": cannot create a file in " + dir + ": "
                    + WriteFailed.reason(e), e);
        }
        IN_PROGRESS.add(tmp);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            } catch (IOException e) {
                throw new WriteFailed("cannot write " + target + ": " + WriteFailed.reason(e) + "; nothing was written"
                        + (Files.exists(abs) ? " (the existing file is untouched)" : ""), e);
            }
            try {
                Files.setPosixFilePermissions(tmp, permissionsFor(abs));
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new BadInput("cannot write " + target + ": the file system does not support an atomic rename", e);
            } catch (AccessDeniedException e) {
                throw new BadInput("cannot write " + target + ": not allowed to replace it; choose another output"
                        + " path");
            }
            done = true;
            syncDirectory(dir);
        } catch (NoSuchFileException e) {
            throw new BadInput("cannot write " + target + ": " + e.getFile() + " disappeared while writing", e);
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": " + WriteFailed.reason(e), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the shutdown hook tries again, and a later run removes it once we are gone.
                }
            }
            IN_PROGRESS.remove(tmp);
        }
    }

    /**
     * Temporary files are named {@code .NAME.inspector-PID-RANDOM.tmp}: a run killed before it could remove its own
     * (SIGKILL, a crash, a power cut) leaves one behind, and the next run writing NAME in that directory removes every
     * such file whose PID no longer runs. Nothing else is touched: only this name's pattern, only dead owners (a PID
     * reused since keeps the file until that process ends too).
     */
    static final String TEMP_MARK = ".inspector-";

    private static final long SELF = ProcessHandle.current().pid();

    static void removeStaleTemporaries(Path dir, String base) {
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob(base) + "*.tmp")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(base.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? "" : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (pid != SELF && ProcessHandle.of(pid).isEmpty()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // another user's (a sticky directory): theirs to remove
                    }
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
            // an unreadable directory: nothing to clean, the write itself reports what matters
        }
    }

    /** {@code s} as a literal glob pattern (names may hold glob characters). */
    private static String glob(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static void writeInPlace(Path abs, Path target, Content content) {
        OutputStream raw;
        try {
            raw = Files.newOutputStream(abs, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new BadInput("cannot write " + target + ": no permission to write to it; choose another output path");
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": " + WriteFailed.reason(e), e);
        }
        try (OutputStream out = new BufferedOutputStream(raw, 1 << 16)) {
            content.writeTo(out);
        } catch (IOException e) {
            throw new WriteFailed("cannot write " + target + ": " + WriteFailed.reason(e) + "; what was written is"
                    + " left as it is", e);
        }
    }

    /**
     * The new file keeps the permissions of the file it replaces; a new file gets rw-r--r-- (what a shell redirect
     * gives with the usual umask 022) instead of createTempFile's rw-------.
     */
    private static Set<PosixFilePermission> permissionsFor(Path target) throws IOException {
        if (Files.exists(target)) {
            return Files.getPosixFilePermissions(target);
        }
        return PosixFilePermissions.fromString("rw-r--r--");
    }

    /** Makes the rename itself durable (fsync of the directory); failure here does not undo a completed write. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse fsync on a directory; the data itself was already forced.
        }
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (AtomicFile.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    for (Path p : IN_PROGRESS) {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException ignored) {
                            // Nothing more can be done while the JVM exits.
                        }
                    }
                }, "atomic-file-cleanup"));
                hookInstalled = true;
            }
        }
    }
}
