package dev.inspector.core;

/** The running kernel (or the privileges we run with) lacks a feature the user asked for explicitly. */
public final class UnsupportedFeature extends InspectorException {
    public UnsupportedFeature(String message) {
        super(message);
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.UNSUPPORTED;
    }
}
