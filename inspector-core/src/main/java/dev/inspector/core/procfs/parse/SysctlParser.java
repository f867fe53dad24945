package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

/**
 * Parsers of one-value kernel files: a sysctl under /proc/sys ("28\n"), a /sys attribute ("2097152\n"), a hugetlb pool
 * directory name ("hugepages-2048kB").
 */
public final class SysctlParser {

    private SysctlParser() {
    }

    /** A decimal integer and an optional newline. */
    public static long integer(String text, String file) {
        String t = text.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, 1, t, "expected a decimal number");
        }
    }

    /** The page size in bytes of a {@code hugepages-<N>kB} directory name, or -1 when the name has another shape. */
    public static long hugePoolBytes(String dirName) {
        if (!dirName.startsWith("hugepages-") || !dirName.endsWith("kB")) {
            return -1;
        }
        String digits = dirName.substring("hugepages-".length(), dirName.length() - 2);
        if (digits.isEmpty() || digits.length() > 12) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits) * 1024;
    }

    /** The bracketed choice of a /sys selector ("always [madvise] never" gives "madvise"), or null without one. */
    public static String selected(String text) {
        int open = text.indexOf('[');
        int close = text.indexOf(']', open + 1);
        return open < 0 || close < 0 ? null : text.substring(open + 1, close);
    }
}
