package dev.inspector.core.model;

/**
 * One thread (task) of the process. {@code stackPointer} and {@code programCounter} come from
 * {@code task/TID/syscall} and are null when the thread was running (the kernel reports them only for a blocked or
 * stopped thread) or when access was denied. {@code stackMappingStart} is the start of the mapping holding the stack
 * pointer, or null.
 */
public record ThreadInfo(int tid, String comm, String state, Long stackPointer, Long programCounter,
                         Long stackMappingStart, long minorFaults, long majorFaults) {
}
