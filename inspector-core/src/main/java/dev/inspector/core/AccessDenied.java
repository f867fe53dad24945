package dev.inspector.core;

import java.nio.file.Path;

/** The kernel refused to let us read a file (EACCES/EPERM); the message says which file and what would grant access. */
public final class AccessDenied extends InspectorException {
    private final transient Path path;

    public AccessDenied(Path path, String remedy) {
        super("access denied: " + path + (remedy == null || remedy.isEmpty() ? "" : " (" + remedy + ")"));
        this.path = path;
    }

    public Path path() {
        return path;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.ACCESS_DENIED;
    }
}
