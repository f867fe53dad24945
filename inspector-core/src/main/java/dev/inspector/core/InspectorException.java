package dev.inspector.core;

/**
 * Base of every error the inspector reports to a user. Each subtype is one kind of failure with one exit code at the
 * command line; the message is a single line a user can act on (no stack trace needed to understand it).
 */
public abstract sealed class InspectorException extends RuntimeException
        permits AccessDenied, BadInput, KernelThread, MalformedProcFile, NativeCallFailed, NoSuchProcess, ProcessGone,
        SampleFailed, UnsupportedFeature, WriteFailed {
    protected InspectorException(String message) {
        super(message);
    }

    protected InspectorException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The documented way a command ends on this error (the hierarchy is sealed, so every error type has one). */
    public abstract ExitStatus exitStatus();
}
