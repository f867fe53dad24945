package dev.inspector.core.procfs;

import dev.inspector.core.InspectorException;

/**
 * Run by {@code ProcessStatesLiveTest} in a separate JVM as an ordinary user: reads one pagemap entry of process ARG
 * through {@link ProcFs} and prints the error type and message (or READ).
 */
public final class PagemapProbe {
    public static void main(String[] args) {
        int pid = Integer.parseInt(args[0]);
        try {
            ProcFs.system().pagemapEntries(pid, 0x400, 1);
            System.out.println("READ");
        } catch (InspectorException e) {
            System.out.println(e.getClass().getSimpleName() + "|" + e.getMessage());
        }
    }
}
