package dev.inspector.core.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.inspector.core.model.FieldMap;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.VmFlags;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes regions as compact JSON bytes into one reused buffer, without a generator. Regions are nearly all of a
 * snapshot (about 1 KiB each, 61 MiB for 60,000 mappings), and under the launcher's C1-only JIT Jackson's per-call
 * state checks cost about half a second there; here the fixed parts of a region are pre-encoded byte fragments,
 * numbers and hex addresses are written digit by digit, and no object is made per field. The bytes are exactly what
 * Jackson's generator writes for the same members (strings escaped as it escapes them, checked by the tests), in the
 * shape of docs/schema/snapshot-v2.schema.json.
 */
final class RegionJson {
    private static final byte[] NULL = ascii("null");
    private static final byte[] MAPPING_START = ascii("{\"mapping\":{\"start\":\"0x");
    private static final byte[] END = ascii("\",\"end\":\"0x");
    private static final byte[] SIZE = ascii("\",\"size\":");
    private static final byte[] OFFSET = ascii(",\"offset\":");
    private static final byte[] DEVICE = ascii(",\"device\":\"");
    private static final byte[] INODE = ascii("\",\"inode\":");
    private static final byte[] DELETED_TRUE = ascii(",\"deleted\":true");
    private static final byte[] DELETED_FALSE = ascii(",\"deleted\":false");
    /** Only for a name that is not valid UTF-8 (MappingPath#nameHex). */
    private static final byte[] NAME_HEX = ascii(",\"nameHex\":");
    private static final byte[] END_PATH = ascii("}}");
    private static final byte[] SECTIONS = ascii(",\"sections\":[");
    private static final byte[] EVIDENCE = ascii("],\"evidence\":");
    private static final byte[] TID = ascii(",\"tid\":");
    private static final byte[] SMAPS = ascii(",\"smaps\":");
    private static final byte[] RESIDENCY = ascii(",\"residency\":");
    private static final byte[] PAGES = ascii(",\"pages\":");
    private static final byte[] BYTES = ascii("{\"bytes\":{");
    private static final byte[] VALUES = ascii("},\"values\":{");
    private static final byte[] VMFLAGS = ascii("},\"vmFlags\":");
    private static final byte[] RAW = ascii("{\"raw\":");
    private static final byte[] FLAGS = ascii(",\"flags\":[");
    private static final byte[] R_PAGES = ascii("{\"pages\":");
    private static final byte[] PRESENT = ascii(",\"present\":");
    private static final byte[] SWAPPED = ascii(",\"swapped\":");
    private static final byte[] UNTOUCHED = ascii(",\"untouched\":");
    private static final byte[] ZERO_PAGE = ascii(",\"zeroPage\":");
    private static final byte[] HUGE = ascii(",\"huge\":");
    private static final byte[] FILE = ascii(",\"file\":");
    private static final byte[] EXCLUSIVE = ascii(",\"exclusive\":");
    private static final byte[] SOFT_DIRTY = ascii(",\"softDirty\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] LONG_MIN = ascii(Long.toString(Long.MIN_VALUE));
    private static final byte[] HEX = ascii("0123456789abcdef");

    /** {@code ,"perms":"rw-p"} for each of the 16 permission values, indexed as {@link #permsIndex}. */
    private static final byte[][] PERMS = new byte[16][];
    /** {@code ,"path":{"type":"FILE","name":} per path type. */
    private static final byte[][] PATH_TYPE = new byte[MappingPath.Type.values().length][];
    /** {@code ,"kind":"thread-stack","owner":} per region kind. */
    private static final byte[][] KIND = new byte[RegionKind.values().length][];

    static {
        for (int i = 0; i < 16; i++) {
            Perms p = Perms.of((i & 8) != 0, (i & 4) != 0, (i & 2) != 0, (i & 1) != 0);
            PERMS[permsIndex(p)] = ascii(",\"perms\":\"" + p + "\"");
        }
        for (MappingPath.Type t : MappingPath.Type.values()) {
            PATH_TYPE[t.ordinal()] = ascii(",\"path\":{\"type\":\"" + t.name() + "\",\"name\":");
        }
        for (RegionKind k : RegionKind.values()) {
            KIND[k.ordinal()] = ascii(",\"kind\":\"" + k.label() + "\",\"owner\":");
        }
    }

    private byte[] buf;
    private int len;

    /** smaps keys as {@code "Rss":}; consecutive records share their key array, so the last row is checked first. */
    private final Map<String, byte[]> keys = new HashMap<>();
    private String[] lastKeys = new String[0];
    private byte[][] lastKeyBytes = new byte[0][];
    /** The JSON of each distinct VmFlags instance: the smaps parser shares one per distinct flags line. */
    private final Map<VmFlags, byte[]> vmFlags = new IdentityHashMap<>();

    RegionJson(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    int length() {
        return len;
    }

    void reset() {
        len = 0;
    }

    /** Writes what was encoded to {@code out} and empties the buffer. */
    void drainTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
        len = 0;
    }

    /** What was encoded, as text (for a generator's raw value). */
    String text() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** Appends raw bytes (a separator between regions). */
    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** Appends one region object. */
    void region(Region r) {
        Mapping m = Objects.requireNonNull(r.mapping(), "region mapping");
        raw(MAPPING_START);
        hexDigits(m.start());
        raw(END);
        hexDigits(m.end());
        raw(SIZE);
        number(m.size());
        raw(PERMS[permsIndex(m.perms())]);
        raw(OFFSET);
        number(m.offset());
        raw(DEVICE);
        hexByte(m.devMajor());
        ensure(1);
        buf[len++] = ':';
        hexByte(m.devMinor());
        raw(INODE);
        number(m.inode());
        MappingPath p = m.path();
        raw(PATH_TYPE[p.type().ordinal()]);
        string(p.name());
        raw(p.deleted() ? DELETED_TRUE : DELETED_FALSE);
        if (p.nameHex() != null) {
            raw(NAME_HEX);
            string(p.nameHex());
        }
        raw(END_PATH);
        raw(KIND[Objects.requireNonNull(r.kind(), "region kind").ordinal()]);
        string(r.owner());
        raw(SECTIONS);
        List<String> sections = r.sections();
        for (int i = 0, n = sections.size(); i < n; i++) {
            if (i > 0) {
                comma();
            }
            string(sections.get(i));
        }
        raw(EVIDENCE);
        string(r.evidence());
        raw(TID);
        if (r.tid() == null) {
            raw(NULL);
        } else {
            number(r.tid());
        }
        raw(SMAPS);
        smaps(r.smaps());
        raw(RESIDENCY);
        residency(r.residency());
        raw(PAGES);
        pages(r.pages());
        ensure(1);
        buf[len++] = '}';
    }

    /** Appends an smaps object, or null. */
    void smaps(Smaps s) {
        if (s == null) {
            raw(NULL);
            return;
        }
        raw(BYTES);
        // Smaps copies both maps into FieldMaps: walk them by index, no entry object per field.
        FieldMap<Long> bytes = (FieldMap<Long>) s.bytes();
        for (int i = 0, n = bytes.size(); i < n; i++) {
            key(i, bytes.keyAt(i));
            Long v = bytes.valueAt(i);
            if (v == null) {
                raw(NULL);
            } else {
                number(v);
            }
        }
        raw(VALUES);
        FieldMap<String> values = (FieldMap<String>) s.values();
        for (int i = 0, n = values.size(); i < n; i++) {
            if (i > 0) {
                comma();
            }
            raw(keyBytes(values.keyAt(i)));
            string(values.valueAt(i));
        }
        raw(VMFLAGS);
        VmFlags f = s.vmFlags();
        if (f == null) {
            raw(NULL);
        } else {
            byte[] json = vmFlags.get(f);
            if (json == null) {
                json = vmFlagsJson(f);
                if (vmFlags.size() >= 4096) {
                    vmFlags.clear(); // bounded: a parser that does not share instances must not grow this forever
                }
                vmFlags.put(f, json);
            }
            raw(json);
        }
        ensure(1);
        buf[len++] = '}';
    }

    /** The i-th key of a {@code bytes} object, with the comma before it. */
    private void key(int i, String k) {
        if (i > 0) {
            comma();
        }
        byte[] b;
        if (i < lastKeys.length && lastKeys[i] == k) {
            b = lastKeyBytes[i];
        } else {
            b = keyBytes(k);
            if (i >= lastKeys.length) {
                lastKeys = Arrays.copyOf(lastKeys, Math.max(i + 1, lastKeys.length * 2));
                lastKeyBytes = Arrays.copyOf(lastKeyBytes, lastKeys.length);
            }
            lastKeys[i] = k;
            lastKeyBytes[i] = b;
        }
        raw(b);
    }

    private byte[] keyBytes(String k) {
        byte[] b = keys.get(k);
        if (b == null) {
            int mark = len;
            string(Objects.requireNonNull(k, "smaps key"));
            ensure(1);
            buf[len++] = ':';
            b = Arrays.copyOfRange(buf, mark, len);
            len = mark;
            if (keys.size() < 1024) {
                keys.put(k, b);
            }
        }
        return b;
    }

    /** {"raw":..,"flags":[[code, meaning],..]}: the meaning is null for a code the parser does not know. */
    private byte[] vmFlagsJson(VmFlags f) {
        int mark = len;
        raw(RAW);
        string(f.raw());
        raw(FLAGS);
        List<VmFlags.Flag> flags = f.flags();
        for (int i = 0; i < flags.size(); i++) {
            ensure(2);
            if (i > 0) {
                buf[len++] = ',';
            }
            buf[len++] = '[';
            string(flags.get(i).code());
            comma();
            string(flags.get(i).meaning());
            ensure(1);
            buf[len++] = ']';
        }
        ensure(2);
        buf[len++] = ']';
        buf[len++] = '}';
        byte[] b = Arrays.copyOfRange(buf, mark, len);
        len = mark;
        return b;
    }

    private void residency(Residency r) {
        if (r == null) {
            raw(NULL);
            return;
        }
        raw(R_PAGES);
        number(r.pages());
        raw(PRESENT);
        number(r.present());
        raw(SWAPPED);
        number(r.swapped());
        raw(UNTOUCHED);
        number(r.untouched());
        // -1 is the residency layer's "this scan path cannot observe it" (e.g. PAGEMAP_SCAN has no exclusive bit):
        // unknown, which the file says with null, never with a number.
        raw(ZERO_PAGE);
        countOrNull(r.zeroPage());
        raw(HUGE);
        countOrNull(r.huge());
        raw(FILE);
        number(r.file());
        raw(EXCLUSIVE);
        countOrNull(r.exclusive());
        raw(SOFT_DIRTY);
        countOrNull(r.softDirty());
        raw(SOURCE);
        string(r.source());
        ensure(1);
        buf[len++] = '}';
    }

    /** Runs as [firstPage, count, flags] or, when the frame is known, [firstPage, count, flags, pfn]. */
    private void pages(List<PageRun> runs) {
        if (runs == null) {
            raw(NULL);
            return;
        }
        ensure(1);
        buf[len++] = '[';
        for (int i = 0, n = runs.size(); i < n; i++) {
            PageRun run = runs.get(i);
            ensure(2);
            if (i > 0) {
                buf[len++] = ',';
            }
            buf[len++] = '[';
            number(run.firstPage());
            comma();
            number(run.count());
            comma();
            number(run.flags());
            if (run.pfn() != -1) {
                comma();
                number(run.pfn());
            }
            ensure(1);
            buf[len++] = ']';
        }
        ensure(1);
        buf[len++] = ']';
    }

    private void countOrNull(long v) {
        if (v < 0) {
            raw(NULL);
        } else {
            number(v);
        }
    }

    private void comma() {
        ensure(1);
        buf[len++] = ',';
    }

    /** A JSON string, or null; escaped byte for byte as Jackson's UTF-8 generator does. */
    void string(String s) {
        if (s == null) {
            raw(NULL);
            return;
        }
        int n = s.length();
        ensure(n + 2);
        int at = len;
        buf[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7f || c == '"' || c == '\\') {
                // Control characters, quotes, backslashes, non-ASCII: Jackson's own encoder, which the generator
                // shares its escaping rules with (short escapes, \\u00XX, UTF-8 for the rest).
                byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(s);
                ensure(quoted.length + 2);
                buf[len++] = '"';
                System.arraycopy(quoted, 0, buf, len, quoted.length);
                len += quoted.length;
                buf[len++] = '"';
                return;
            }
            buf[at++] = (byte) c;
        }
        buf[at++] = '"';
        len = at;
    }

    /** A decimal number, as Jackson writes a long. */
    void number(long v) {
        ensure(20);
        if (v >= 0 && v < 10) {
            buf[len++] = (byte) ('0' + v);
            return;
        }
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                raw(LONG_MIN);
                return;
            }
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = 10; digits < 19 && v >= t; t *= 10) {
            digits++;
        }
        int end = len + digits;
        int at = end;
        while (v > Integer.MAX_VALUE) {
            long q = v / 10;
            buf[--at] = (byte) ('0' + (int) (v - q * 10));
            v = q;
        }
        int iv = (int) v;
        while (iv >= 10) {
            int q = iv / 10;
            buf[--at] = (byte) ('0' + (iv - q * 10));
            iv = q;
        }
        buf[--at] = (byte) ('0' + iv);
        len = end;
    }

    /** The digits of an unsigned 64-bit value in lowercase hex, as {@link Long#toHexString}. */
    private void hexDigits(long v) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) >> 2);
        ensure(digits);
        int end = len + digits;
        for (int at = end - 1; at >= len; at--) {
            buf[at] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        len = end;
    }

    /** A device number as the kernel prints it: at least two lowercase hex digits ({@code %02x}). */
    private void hexByte(int v) {
        if ((v & ~0xff) != 0) {
            hexDigits(v & 0xffffffffL);
            return;
        }
        ensure(2);
        buf[len++] = HEX[v >> 4];
        buf[len++] = HEX[v & 0xf];
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private static int permsIndex(Perms p) {
        return (p.read() ? 8 : 0) | (p.write() ? 4 : 0) | (p.exec() ? 2 : 0) | (p.shared() ? 1 : 0);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
