package dev.inspector.core;

/** A kernel text file did not have the shape its parser knows; carries the file, the line number and the line. */
public final class MalformedProcFile extends InspectorException {
    private final String file;
    private final int lineNumber;
    private final String line;
    private final boolean torn;

    public MalformedProcFile(String file, int lineNumber, String line, String reason) {
        this(file, lineNumber, line, reason, false);
    }

    private MalformedProcFile(String file, int lineNumber, String line, String reason, boolean torn) {
        super("malformed " + file + (lineNumber > 0 ? " line " + lineNumber : "") + ": " + reason
                + (line == null ? "" : ": \"" + abbreviate(line) + "\""));
        this.file = file;
        this.lineNumber = lineNumber;
        this.line = line;
        this.torn = torn;
    }

    /**
     * A listing torn by the target changing its mappings while it was read (the kernel drops mmap_lock between read()
     * calls): not a malformed file, a moving target; a caller may read again.
     */
    public static MalformedProcFile torn(String file, String detail) {
        return new MalformedProcFile(file, 0, null, "torn by concurrent changes (" + detail + ")", true);
    }

    /** True for {@link #torn}: reading again may succeed. */
    public boolean isTorn() {
        return torn;
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }

    public String file() {
        return file;
    }

    public int lineNumber() {
        return lineNumber;
    }

    public String line() {
        return line;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.BAD_INPUT;
    }
}
