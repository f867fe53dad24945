package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser of {@code /proc/PID/limits} (fs/proc/base.c proc_pid_limits). The kernel pads columns with "%-25s %-20s
 * %-20s %-10s", but names contain single spaces, so rows are read from the right: the last token is the units when
 * it is not a value, the two values before it are soft and hard, and the rest is the name.
 */
public final class LimitsParser {

    private LimitsParser() {
    }

    public static Limits parse(String text, String file) {
        List<Limits.Limit> rows = new ArrayList<>(16);
        String[] lines = text.split("\n", -1);
        boolean header = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!header) {
                if (!line.startsWith("Limit ")) {
                    throw new MalformedProcFile(file, n + 1, lines[n], "expected the \"Limit Soft Limit ...\" header");
                }
                header = true;
                continue;
            }
            String[] t = Words.of(line);
            int last = t.length - 1;
            String units = "";
            if (last >= 0 && !isValue(t[last])) {
                units = t[last];
                last--;
            }
            if (last < 2 || !isValue(t[last]) || !isValue(t[last - 1])) {
                throw new MalformedProcFile(file, n + 1, lines[n], "expected \"name soft hard [units]\"");
            }
            String name = String.join(" ", java.util.Arrays.copyOfRange(t, 0, last - 1));
            rows.add(new Limits.Limit(name, value(t[last - 1], file, n, lines[n]), value(t[last], file, n, lines[n]),
                    units));
        }
        if (!header) {
            throw new MalformedProcFile(file, 0, null, "empty limits file");
        }
        return new Limits(rows);
    }

    private static boolean isValue(String s) {
        if ("unlimited".equals(s)) {
            return true;
        }
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long value(String s, String file, int n, String line) {
        if ("unlimited".equals(s)) {
            return Limits.UNLIMITED;
        }
        try {
            // A number equal to RLIM_INFINITY (2^64-1) means unlimited too, and maps to -1 by its bits.
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, n + 1, line, "value does not fit in 64 bits");
        }
    }
}
