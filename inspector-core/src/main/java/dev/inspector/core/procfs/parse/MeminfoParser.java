package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parser of {@code /proc/meminfo}: {@code Key:   N kB} lines (a few have no unit: HugePages_Total, ...). Values with
 * "kB" are returned in bytes (the kernel's kB is KiB), the others as they are; order kept.
 */
public final class MeminfoParser {

    private MeminfoParser() {
    }

    public static Map<String, Long> parse(String text, String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedProcFile(file, n, line, "expected \"Key: value\"");
            }
            String key = line.substring(0, colon).trim();
            String[] w = Words.of(line.substring(colon + 1));
            if (w.length == 0 || w.length > 2 || (w.length == 2 && !w[1].equals("kB"))) {
                throw new MalformedProcFile(file, n, line, "expected a number and an optional \"kB\"");
            }
            long v;
            try {
                v = Long.parseLong(w[0]);
            } catch (NumberFormatException e) {
                throw new MalformedProcFile(file, n, line, "not a number");
            }
            out.put(key, w.length == 2 ? v * 1024 : v);
        }
        return out;
    }
}
