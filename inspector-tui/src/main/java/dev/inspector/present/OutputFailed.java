package dev.inspector.present;

/**
 * The output could not be written (a closed pipe: {@code inspector maps PID | head}; a full disk). The renderer stops
 * at the first failed write it sees instead of formatting the rest for nobody, and the command reports it.
 */
public final class OutputFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputFailed() {
        super("cannot write the output (closed pipe or full disk); stopped");
    }
}
