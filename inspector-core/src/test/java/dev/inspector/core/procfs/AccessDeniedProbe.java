package dev.inspector.core.procfs;

import dev.inspector.core.InspectorException;

/**
 * Run by {@link LiveProcFsTest} in a separate JVM as an ordinary user (uid 65534 through setpriv when the test runs as
 * root), because a root JVM cannot be refused:
 * reads /proc/ARG/maps through {@link ProcFs} and prints the error type and message.
 */
public final class AccessDeniedProbe {
    public static void main(String[] args) {
        int pid = Integer.parseInt(args[0]);
        try {
            new ProcessFiles(ProcFs.system(), pid).maps();
            System.out.println("READ");
        } catch (InspectorException e) {
            System.out.println(e.getClass().getSimpleName() + "|" + e.getMessage());
        }
    }
}
