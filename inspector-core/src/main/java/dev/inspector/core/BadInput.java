package dev.inspector.core;

/**
 * Input given by the user (a snapshot file, an ELF file, an address, a timeline) is not acceptable. The message names
 * the input, the place in it and what was expected.
 */
public final class BadInput extends InspectorException {
    public BadInput(String message) {
        super(message);
    }

    public BadInput(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.BAD_INPUT;
    }
}
