package dev.inspector.core.json;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.BadInput;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
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
 * by a shutdown hook, so an interrupted write leaves nothing behind. A symbolic link is followed (the file it names
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
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        } catch (AccessDeniedException e) {
            throw new AccessDenied(dir, "cannot create a file in this directory; choose another output path");
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": " + e.getMessage(), e);
        }
        IN_PROGRESS.add(tmp);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, permissionsFor(abs));
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new BadInput("cannot write " + target + ": the file system does not support an atomic rename", e);
            }
            done = true;
            syncDirectory(dir);
        } catch (AccessDeniedException e) {
            throw new AccessDenied(abs, "not allowed to replace this file; choose another output path");
        } catch (NoSuchFileException e) {
            throw new BadInput("cannot write " + target + ": " + e.getFile() + " disappeared while writing", e);
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the shutdown hook tries again; the target is untouched either way.
                }
            }
            IN_PROGRESS.remove(tmp);
        }
    }

    private static void writeInPlace(Path abs, Path target, Content content) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(abs, StandardOpenOption.WRITE), 1 << 16)) {
            content.writeTo(out);
        } catch (AccessDeniedException e) {
            throw new AccessDenied(abs, "not allowed to write to it; choose another output path");
        } catch (IOException e) {
            throw new BadInput("cannot write " + target + ": " + e.getMessage(), e);
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
