package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

import java.nio.charset.StandardCharsets;

/**
 * Parser of {@code /proc/PID/stat} and {@code task/TID/stat}. The comm field is whatever the process set with
 * prctl(PR_SET_NAME) and may contain spaces and parentheses, so it runs from the first '(' to the LAST ')'; the
 * remaining fields are split on single spaces and numbered as in proc(5).
 */
public final class StatParser {

    /** Fields up to 41 (policy, Linux 2.5.19) are required; later ones are optional (see {@link Stat}). */
    static final int REQUIRED_FIELDS = 41;
    private static final int MAX_FIELD = 52;

    private StatParser() {
    }

    public static Stat parse(String text, String file) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, b.length, file);
    }

    public static Stat parse(byte[] b, int len, String file) {
        while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == ' ')) {
            len--;
        }
        int open = MapsParser.indexOf(b, (byte) '(', 0, len);
        int close = -1;
        for (int k = len - 1; k > open; k--) {
            if (b[k] == ')') {
                close = k;
                break;
            }
        }
        if (open < 1 || close < 0 || b[open - 1] != ' ') {
            throw bad(file, b, len, "expected \"pid (comm) state ...\"");
        }
        long[] f = new long[MAX_FIELD + 1];
        f[1] = number(b, 0, open - 1, file, len, 1);
        String comm = new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8);
        int i = close + 1;
        if (i + 2 > len || b[i] != ' ' || (i + 2 < len && b[i + 2] != ' ')) {
            throw bad(file, b, len, "expected a one-letter state after the comm");
        }
        char state = (char) b[i + 1];
        if (state < 'A' || state > 'z') {
            throw bad(file, b, len, "bad state letter");
        }
        i += 2;
        int field = 3;
        while (i < len && field < MAX_FIELD) {
            if (b[i] != ' ') {
                throw bad(file, b, len, "expected a space before field " + (field + 1));
            }
            int s = ++i;
            while (i < len && b[i] != ' ') {
                i++;
            }
            field++;
            f[field] = number(b, s, i, file, len, field);
        }
        if (field < REQUIRED_FIELDS) {
            throw bad(file, b, len, "only " + field + " fields, expected at least " + REQUIRED_FIELDS);
        }
        int last = field;
        return new Stat((int) f[1], comm, state, (int) f[4], (int) f[5], (int) f[6], (int) f[7], (int) f[8],
                f[9], f[10], f[11], f[12], f[13], f[14], f[15], f[16], f[17], f[18], f[19], (int) f[20], f[22],
                f[23], f[24], f[25], f[26], f[27], f[28], f[29], f[30], (int) f[39],
                opt(f, 45, last), opt(f, 46, last), opt(f, 47, last), opt(f, 48, last), opt(f, 49, last),
                opt(f, 50, last), opt(f, 51, last), last >= 52 ? Integer.valueOf((int) f[52]) : null);
    }

    private static Long opt(long[] f, int n, int last) {
        return n <= last ? f[n] : null;
    }

    /** A decimal field: signed (nice, priority) or unsigned up to 2^64-1 (rsslim "18446744073709551615"). */
    private static long number(byte[] b, int from, int to, String file, int len, int field) {
        boolean neg = from < to && b[from] == '-';
        int s = neg ? from + 1 : from;
        if (s >= to || to - s > 20) {
            throw bad(file, b, len, "field " + field + " is not a number");
        }
        long v = 0;
        for (int k = s; k < to; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                throw bad(file, b, len, "field " + field + " is not a number");
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0 || Long.compareUnsigned(next, v * 10) < 0) {
                throw bad(file, b, len, "field " + field + " does not fit in 64 bits");
            }
            v = next;
        }
        return neg ? -v : v;
    }

    private static MalformedProcFile bad(String file, byte[] b, int len, String why) {
        return new MalformedProcFile(file, 1, new String(b, 0, Math.max(0, len), StandardCharsets.UTF_8), why);
    }
}
