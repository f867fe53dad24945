package dev.inspector.core;

import java.io.IOException;

/**
 * Writing an output the command had already opened failed part-way: a full disk, a quota, an I/O error, or the reader
 * of a pipe went away ({@link #brokenPipe()}). Opening or creating the output in the first place is {@link BadInput}
 * (exit 6); this is exit 11. The message says what became of what was written (removed, cut back to its last complete
 * record, or left as it is).
 */
public final class WriteFailed extends InspectorException {
    private final boolean brokenPipe;

    public WriteFailed(String message, IOException cause) {
        super(message, cause);
        this.brokenPipe = isBrokenPipe(cause);
    }

    /** The reader of a pipe went away (EPIPE): a command ends quietly, as tools killed by SIGPIPE do. */
    public boolean brokenPipe() {
        return brokenPipe;
    }

    /**
     * EPIPE, told by the C library's text the JDK puts in the message ("Broken pipe"): the JVM ignores SIGPIPE, so a
     * write to a pipe without a reader fails with EPIPE instead of ending the process.
     */
    public static boolean isBrokenPipe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    /** The reason of an I/O error in a few words ("No space left on device"), without the JDK's decorations. */
    public static String reason(IOException e) {
        String m = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.OUTPUT_FAILED;
    }
}
