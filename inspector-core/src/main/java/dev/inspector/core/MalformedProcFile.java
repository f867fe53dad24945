package dev.inspector.core;

/** A kernel text file did not have the shape its parser knows; carries the file, the line number and the line. */
public final class MalformedProcFile extends InspectorException {
    private final String file;
    private final int lineNumber;
    private final String line;

    public MalformedProcFile(String file, int lineNumber, String line, String reason) {
        super("malformed " + file + (lineNumber > 0 ? " line " + lineNumber : "") + ": " + reason
                + (line == null ? "" : ": \"" + abbreviate(line) + "\""));
        this.file = file;
        this.lineNumber = lineNumber;
        this.line = line;
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
