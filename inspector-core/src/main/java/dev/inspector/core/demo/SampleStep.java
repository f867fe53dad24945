package dev.inspector.core.demo;

import dev.inspector.core.BadInput;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code @@STEP <n> <name> pid=<pid> key=value...} line of a native sample (native-samples/README.md): the step's
 * number (from 1), its name, the pid that announced it (a forked child announces its own) and the other
 * {@code key=value} pairs in line order. Keys {@code addr.<label>} hold an address, {@code range.<label>} a range
 * {@code 0xLO-0xHI} with HI exclusive; the rest is informational. Values never contain spaces.
 */
public record SampleStep(int number, String name, int pid, Map<String, String> values, String line) {

    /** What every STEP line starts with. */
    public static final String PREFIX = "@@STEP ";

    public SampleStep {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** True when a stdout line is a STEP line (others are the sample's own chatter and are skipped). */
    public static boolean isStep(String line) {
        return line.startsWith(PREFIX);
    }

    /** Parses a STEP line; anything else, or a bad number, is {@link BadInput} quoting the line. */
    public static SampleStep parse(String line) {
        String[] t = line.split(" ");
        if (t.length < 4 || !line.startsWith(PREFIX) || t[2].isEmpty() || !t[3].startsWith("pid=")) {
            throw new BadInput("not a STEP line (expected \"@@STEP <n> <name> pid=<pid> key=value...\"): \""
                    + abbreviate(line) + "\"");
        }
        int number = positive(t[1], "step number", line);
        int pid = positive(t[3].substring(4), "pid", line);
        return new SampleStep(number, t[2], pid, fields(t, 4, line), line);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key}; a missing key is {@link BadInput} (the sample and its reader disagree). */
    public String value(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new BadInput("step '" + name + "' has no key '" + key + "': \"" + abbreviate(line) + "\"");
        }
        return v;
    }

    /** A decimal value, e.g. {@code count} or {@code tid.0}. */
    public long number(String key) {
        String v = value(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadInput(key + "=" + v + " is not a decimal number in step '" + name + "'", e);
        }
    }

    /** {@code addr.<label>} as an unsigned address. */
    public long addr(String label) {
        return hex("addr." + label, value("addr." + label));
    }

    /** {@code range.<label>} as [lo, hi). */
    public Range range(String label) {
        String key = "range." + label;
        String v = value(key);
        int dash = v.indexOf('-');
        if (dash < 0) {
            throw new BadInput(key + "=" + v + " is not 0xLO-0xHI in step '" + name + "'");
        }
        long lo = hex(key, v.substring(0, dash));
        long hi = hex(key, v.substring(dash + 1));
        if (Long.compareUnsigned(lo, hi) > 0) {
            throw new BadInput(key + "=" + v + " ends below its start in step '" + name + "'");
        }
        return new Range(lo, hi);
    }

    private long hex(String key, String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new BadInput(key + ": '" + text + "' is not a hex address in step '" + name + "'", e);
        }
    }

    /** An address range [lo, hi) from a {@code range.*} key; unsigned. */
    public record Range(long lo, long hi) {

        public boolean contains(long addr) {
            return Long.compareUnsigned(addr, lo) >= 0 && Long.compareUnsigned(addr, hi) < 0;
        }

        public long size() {
            return hi - lo;
        }

        /** As the reference readers and {@code inspector pages --range} take it: {@code 0xLO-0xHI}. */
        public String toArg() {
            return "0x" + Long.toHexString(lo) + "-0x" + Long.toHexString(hi);
        }

        @Override
        public String toString() {
            return toArg();
        }
    }

    private static int positive(String text, String what, String line) {
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInput("bad " + what + " '" + text + "' in STEP line \"" + abbreviate(line) + "\"");
    }

    /**
     * The {@code key=value} tokens of {@code tokens} from {@code from} on, in order. Empty tokens (two spaces) are
     * skipped; a token without '=' or with an empty key is {@link BadInput} naming {@code line}.
     */
    static Map<String, String> fields(String[] tokens, int from, String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                continue;
            }
            int eq = tokens[i].indexOf('=');
            if (eq <= 0) {
                throw new BadInput("'" + abbreviate(tokens[i]) + "' is not key=value in \""
                        + abbreviate(line) + "\"");
            }
            out.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1));
        }
        return out;
    }

    /** One line of at most 160 characters, for messages (a STEP line may be 4096 bytes). */
    static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 157) + "...";
    }
}
