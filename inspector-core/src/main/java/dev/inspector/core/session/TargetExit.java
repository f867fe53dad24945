package dev.inspector.core.session;

import java.time.Instant;

/**
 * How an inspected process ended, as far as it can be known from outside: {@code status} is the exit code (0..255) or
 * minus the signal that killed it, null when not visible (the process was reaped by its parent before we looked, or
 * stat's exit_code is hidden from this reader); {@code reason} says it in words. {@code pidReused}: the PID now
 * belongs to another process (detected by its start time).
 */
public record TargetExit(int pid, Instant at, Integer status, String reason, boolean pidReused) {

    /** From a waitpid(2)-form status (stat field 52 while the process is a zombie). */
    public static TargetExit fromWaitStatus(int pid, Instant at, int wstatus) {
        return new TargetExit(pid, at, decode(wstatus), describe(wstatus), false);
    }

    /** Exited, status unknown: it was reaped already or the reader may not see it. */
    public static TargetExit unknown(int pid, Instant at) {
        return new TargetExit(pid, at, null, "exited (status not visible to a non-parent)", false);
    }

    public static TargetExit reused(int pid, Instant at) {
        return new TargetExit(pid, at, null, "exited (PID " + pid + " now belongs to another process)", true);
    }

    /** waitpid(2) form: exit code in bits 8-15 when it exited, the signal in bits 0-6 when killed (as -signal). */
    public static int decode(int wstatus) {
        int sig = wstatus & 0x7f;
        return sig == 0 ? (wstatus >> 8) & 0xff : -sig;
    }

    public static String describe(int wstatus) {
        int sig = wstatus & 0x7f;
        if (sig == 0) {
            return "exited with status " + ((wstatus >> 8) & 0xff);
        }
        return "killed by " + signalName(sig) + ((wstatus & 0x80) != 0 ? " (core dumped)" : "");
    }

    public static String signalName(int sig) {
        String[] names = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
            "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
        return sig > 0 && sig < names.length ? names[sig] : "signal " + sig;
    }
}
