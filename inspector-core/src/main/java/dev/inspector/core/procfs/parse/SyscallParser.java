package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser of {@code task/TID/syscall}: "running", or "-1 0xSP 0xPC", or "NR 0xA1 ... 0xA6 0xSP 0xPC"
 * (fs/proc/base.c proc_pid_syscall: NR decimal, the rest "0x%llx").
 */
public final class SyscallParser {

    private SyscallParser() {
    }

    public static Syscall parse(String text, String file) {
        String t = text.strip();
        if ("running".equals(t)) {
            return Syscall.RUNNING;
        }
        String[] f = t.split(" ", -1);
        long nr;
        try {
            nr = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, 1, text, "expected \"running\" or a syscall number");
        }
        if (nr == -1 && f.length == 3) {
            return new Syscall(Syscall.Kind.BLOCKED, -1, List.of(), hex(f[1], file, text), hex(f[2], file, text));
        }
        if (nr < 0 || f.length != 9) {
            throw new MalformedProcFile(file, 1, text, "expected \"-1 SP PC\" or \"NR A1..A6 SP PC\"");
        }
        List<Long> args = new ArrayList<>(6);
        for (int i = 1; i <= 6; i++) {
            args.add(hex(f[i], file, text));
        }
        return new Syscall(Syscall.Kind.IN_SYSCALL, nr, args, hex(f[7], file, text), hex(f[8], file, text));
    }

    private static long hex(String s, String file, String text) {
        if (!s.startsWith("0x") || s.length() < 3 || s.length() > 18) {
            throw new MalformedProcFile(file, 1, text, "expected 0x-prefixed hex, got \"" + s + "\"");
        }
        try {
            return Long.parseUnsignedLong(s, 2, s.length(), 16);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, 1, text, "expected 0x-prefixed hex, got \"" + s + "\"");
        }
    }
}
