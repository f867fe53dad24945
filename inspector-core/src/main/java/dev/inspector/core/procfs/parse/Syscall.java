package dev.inspector.core.procfs.parse;

import java.util.List;

/**
 * {@code /proc/PID/task/TID/syscall} (CONFIG_HAVE_ARCH_TRACEHOOK). {@link Kind#RUNNING}: the thread was on a CPU and
 * the kernel reports nothing else. {@link Kind#BLOCKED}: blocked outside a system call ("-1 SP PC"; e.g. stopped by a
 * signal or faulting); {@code nr} is -1 and {@code args} empty. {@link Kind#IN_SYSCALL}: blocked in system call
 * {@code nr} with its six arguments. SP and PC are the user-mode stack pointer and program counter, unsigned.
 */
public record Syscall(Kind kind, long nr, List<Long> args, Long stackPointer, Long programCounter) {

    public enum Kind {
        RUNNING,
        BLOCKED,
        IN_SYSCALL
    }

    public static final Syscall RUNNING = new Syscall(Kind.RUNNING, -1, List.of(), null, null);

    public Syscall {
        args = List.copyOf(args);
    }
}
