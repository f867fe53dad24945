package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parser of {@code /proc/PID/status}: "Key:\tvalue" lines; required are Name, State, Tgid, Pid, PPid, Uid, Gid, Threads. */
public final class StatusParser {

    private StatusParser() {
    }

    public static Status parse(String text, String file) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, b.length, file);
    }

    public static Status parse(byte[] b, int len, String file) {
        Map<String, Long> memory = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        String name = null;
        int lineNo = 0;
        int s = 0;
        while (s < len) {
            int e = MapsParser.indexOf(b, (byte) '\n', s, len);
            if (e < 0) {
                e = len;
            }
            lineNo++;
            if (e > s) {
                int colon = MapsParser.indexOf(b, (byte) ':', s, e);
                if (colon <= s) {
                    throw bad(file, lineNo, b, s, e, "expected \"Key:\\tvalue\"");
                }
                String key = new String(b, s, colon - s, StandardCharsets.UTF_8);
                int v = colon + 1;
                if ("Name".equals(key)) {
                    // Name keeps its spaces: only the kernel's separator tab is dropped.
                    if (v < e && b[v] == '\t') {
                        v++;
                    }
                    name = new String(b, v, e - v, StandardCharsets.UTF_8);
                } else {
                    while (v < e && (b[v] == ' ' || b[v] == '\t')) {
                        v++;
                    }
                    int ve = e;
                    while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                        ve--;
                    }
                    Long kb = kiloBytes(b, v, ve);
                    if (kb != null) {
                        if (kb < 0) {
                            throw bad(file, lineNo, b, s, e, "value too large");
                        }
                        memory.put(key, kb);
                    } else {
                        other.put(key, new String(b, v, ve - v, StandardCharsets.UTF_8));
                    }
                }
            }
            s = e + 1;
        }
        if (name == null) {
            throw new MalformedProcFile(file, 0, null, "no Name line");
        }
        String state = require(other, "State", file);
        String capEff = other.get("CapEff");
        if (capEff != null) {
            try {
                Long.parseUnsignedLong(capEff, 16);
            } catch (NumberFormatException e) {
                throw new MalformedProcFile(file, 0, "CapEff:\t" + capEff, "CapEff is not hexadecimal");
            }
        }
        return new Status(name, state, integer(other, "Tgid", file), integer(other, "Pid", file),
                integer(other, "PPid", file), ids(other, "Uid", file), ids(other, "Gid", file),
                integer(other, "Threads", file), memory, other);
    }

    /** "N kB" → bytes; -1 on overflow; null when the value is not of that form. */
    private static Long kiloBytes(byte[] b, int v, int e) {
        if (e - v < 4 || b[e - 1] != 'B' || b[e - 2] != 'k' || b[e - 3] != ' ') {
            return null;
        }
        int de = e - 3;
        while (de > v && b[de - 1] == ' ') {
            de--;
        }
        if (de == v || de - v > 18) {
            return null;
        }
        long n = 0;
        for (int k = v; k < de; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            n = n * 10 + d;
        }
        return n > Long.MAX_VALUE / 1024 ? -1L : n * 1024;
    }

    private static String require(Map<String, String> other, String key, String file) {
        String v = other.get(key);
        if (v == null) {
            throw new MalformedProcFile(file, 0, null, "no " + key + " line");
        }
        return v;
    }

    private static int integer(Map<String, String> other, String key, String file) {
        String v = require(other, key, file);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, 0, key + ":\t" + v, key + " is not a number");
        }
    }

    private static Status.Ids ids(Map<String, String> other, String key, String file) {
        String v = require(other, key, file);
        String[] parts = Words.of(v);
        if (parts.length != 4) {
            throw new MalformedProcFile(file, 0, key + ":\t" + v, "expected four ids (real, effective, saved, fs)");
        }
        try {
            // Ids are unsigned 32-bit (uid 4294967294 exists in user namespaces); kept in an int's bits.
            return new Status.Ids(Integer.parseUnsignedInt(parts[0]), Integer.parseUnsignedInt(parts[1]),
                    Integer.parseUnsignedInt(parts[2]), Integer.parseUnsignedInt(parts[3]));
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, 0, key + ":\t" + v, key + " ids are not numbers");
        }
    }

    private static MalformedProcFile bad(String file, int lineNo, byte[] b, int s, int e, String why) {
        return new MalformedProcFile(file, lineNo, new String(b, s, e - s, StandardCharsets.UTF_8), why);
    }
}
