package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.VmFlags;

import dev.inspector.core.model.FieldMap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The "Key: value" lines shared by smaps and smaps_rollup, accumulated for one record. A value of the form
 * "N kB" goes to {@code bytes} (kB is KiB), VmFlags is decoded, anything else is kept as raw text. Key strings are
 * interned in a small cache that is tried in kernel order first, so a 60,000-record smaps does not allocate a String
 * per key line.
 */
final class SmapsFields {

    private final String file;
    // The fields of the record being parsed, in kernel order; turned into compact FieldMaps by finish().
    private String[] byteKeys = new String[32];
    private Object[] byteValues = new Object[32];
    private int byteCount;
    private String[] textKeys = new String[8];
    private Object[] textValues = new Object[8];
    private int textCount;
    private FieldMap<Long> lastBytes;
    private FieldMap<String> lastValues;
    private VmFlags vmFlags;
    // Few distinct VmFlags lines and unit-less values exist in a process: decode each once.
    private final Map<String, VmFlags> vmFlagsCache = new HashMap<>();
    private final Map<String, String> textCache = new HashMap<>();

    private byte[][] keyBytes = new byte[32][];
    private String[] keyStrings = new String[32];
    private int keyCount;
    private int hint;

    SmapsFields(String file) {
        this.file = file;
    }

    boolean isEmpty() {
        return byteCount == 0 && textCount == 0 && vmFlags == null;
    }

    /** Builds the record from what was accumulated and starts a new one. */
    Smaps finish() {
        lastBytes = FieldMap.of(byteKeys, byteValues, byteCount, lastBytes);
        lastValues = FieldMap.of(textKeys, textValues, textCount, lastValues);
        Smaps s = new Smaps(lastBytes, lastValues, vmFlags);
        byteCount = 0;
        textCount = 0;
        vmFlags = null;
        return s;
    }

    private static boolean contains(String[] keys, int n, String key) {
        for (int i = 0; i < n; i++) {
            if (keys[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Parses one key line [from, to) (without its newline). */
    void line(byte[] b, int from, int to, int lineNo) {
        int colon = -1;
        for (int k = from; k < to; k++) {
            if (b[k] == ':') {
                colon = k;
                break;
            }
            if (b[k] == ' ' || b[k] == '\t') {
                break;
            }
        }
        if (colon <= from) {
            throw bad(b, from, to, lineNo, "expected \"Key: value\"");
        }
        String key = key(b, from, colon);
        int v = colon + 1;
        while (v < to && (b[v] == ' ' || b[v] == '\t')) {
            v++;
        }
        int e = to;
        while (e > v && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if ("VmFlags".equals(key)) {
            String raw = new String(b, v, e - v, StandardCharsets.US_ASCII);
            VmFlags f = vmFlagsCache.get(raw);
            if (f == null) {
                f = VmFlagsDecoder.decode(raw);
                if (vmFlagsCache.size() < 4096) {
                    vmFlagsCache.put(raw, f);
                }
            }
            vmFlags = f;
            return;
        }
        if (e - v >= 3 && b[e - 1] == 'B' && b[e - 2] == 'k' && b[e - 3] == ' ') {
            int de = e - 3;
            while (de > v && b[de - 1] == ' ') {
                de--;
            }
            long kib = decimal(b, v, de, lineNo, from, to);
            long value;
            try {
                value = Math.multiplyExact(kib, 1024L);
            } catch (ArithmeticException ex) {
                throw bad(b, from, to, lineNo, "value too large");
            }
            if (contains(byteKeys, byteCount, key)) {
                throw bad(b, from, to, lineNo, "duplicate key " + key);
            }
            if (byteCount == byteKeys.length) {
                byteKeys = Arrays.copyOf(byteKeys, byteCount * 2);
                byteValues = Arrays.copyOf(byteValues, byteCount * 2);
            }
            byteKeys[byteCount] = key;
            byteValues[byteCount++] = value;
            return;
        }
        if (contains(textKeys, textCount, key)) {
            throw bad(b, from, to, lineNo, "duplicate key " + key);
        }
        String text = new String(b, v, e - v, StandardCharsets.UTF_8);
        String cached = textCache.get(text);
        if (cached == null) {
            cached = text;
            if (textCache.size() < 4096) {
                textCache.put(text, text);
            }
        }
        if (textCount == textKeys.length) {
            textKeys = Arrays.copyOf(textKeys, textCount * 2);
            textValues = Arrays.copyOf(textValues, textCount * 2);
        }
        textKeys[textCount] = key;
        textValues[textCount++] = cached;
    }

    private long decimal(byte[] b, int from, int to, int lineNo, int lineFrom, int lineTo) {
        if (from >= to || to - from > 18) {
            throw bad(b, lineFrom, lineTo, lineNo, "expected a number of kB");
        }
        long n = 0;
        for (int k = from; k < to; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                throw bad(b, lineFrom, lineTo, lineNo, "expected a number of kB");
            }
            n = n * 10 + d;
        }
        return n;
    }

    private String key(byte[] b, int from, int to) {
        int len = to - from;
        for (int probe = 0; probe < keyCount; probe++) {
            int idx = (hint + probe) % keyCount;
            byte[] k = keyBytes[idx];
            if (k.length == len && same(b, from, k)) {
                hint = idx + 1;
                return keyStrings[idx];
            }
        }
        String s = new String(b, from, len, StandardCharsets.UTF_8);
        if (keyCount < keyBytes.length) {
            // Bounded: a file full of distinct garbage keys must not grow the cache without limit.
            byte[] copy = new byte[len];
            System.arraycopy(b, from, copy, 0, len);
            keyBytes[keyCount] = copy;
            keyStrings[keyCount] = s;
            keyCount++;
            hint = keyCount;
        }
        return s;
    }

    private static boolean same(byte[] b, int from, byte[] k) {
        for (int i = 0; i < k.length; i++) {
            if (b[from + i] != k[i]) {
                return false;
            }
        }
        return true;
    }

    MalformedProcFile bad(byte[] b, int from, int to, int lineNo, String why) {
        return new MalformedProcFile(file, lineNo, new String(b, from, to - from, StandardCharsets.UTF_8), why);
    }

    String file() {
        return file;
    }
}
