package dev.inspector.core.procfs;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.procfs.parse.SmapsParser;
import dev.inspector.core.procfs.parse.SmapsRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The previous read of one process's smaps, kept by a caller that reads it again and again (the live map, every
 * second): a record whose text is byte for byte the one read last time is not parsed again, its previous
 * {@link SmapsRecord} (the same objects) is handed on. The kernel still formats the whole file; what is saved is the
 * parse and, further on, the comparisons (an unchanged mapping is the same object as at the previous point). Exact:
 * equal text parses to equal records. Only files up to {@link ChunkPipe#ALONE} bytes are kept (about 4,000 mappings);
 * a bigger one is streamed as without a cache, and the cache is emptied. Not for concurrent use.
 */
public final class SmapsCache {

    private byte[] text = new byte[0];
    private int length;
    private int[] starts = new int[0];      // record i is text[starts[i], starts[i + 1])
    private long[] addresses = new long[0]; // start address of record i
    private SmapsRecord[] records = new SmapsRecord[0];
    private int count;
    private byte[] spare = new byte[64 * 1024];
    /** Records parsed and taken over by the last read, for tests and the trace. */
    private int lastParsed;
    private int lastKept;

    public int lastParsed() {
        return lastParsed;
    }

    public int lastKept() {
        return lastKept;
    }

    /** Reads smaps from {@code ch} into {@code sink} through the cache; {@code file} names it in errors. */
    void read(FileChannel ch, String file, Consumer<SmapsRecord> sink) throws IOException {
        byte[] buf = spare;
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (buf.length >= ChunkPipe.ALONE) {
                    // Too big to keep: parse what was read, stream the rest, forget the previous read.
                    clear();
                    SmapsParser parser = new SmapsParser(file, sink);
                    parser.feed(buf, 0, n);
                    ChunkPipe.pump(ch, (chunk, k) -> parser.feed(chunk, 0, k));
                    parser.finish();
                    return;
                }
                buf = Arrays.copyOf(buf, Math.min(ChunkPipe.ALONE, buf.length * 2));
            }
            int r = ch.read(ByteBuffer.wrap(buf, n, buf.length - n));
            if (r < 0) {
                break;
            }
            n += r;
        }
        deliver(buf, n, file, sink);
    }

    private void clear() {
        text = new byte[0];
        length = 0;
        count = 0;
    }

    private void deliver(byte[] buf, int n, String file, Consumer<SmapsRecord> sink) {
        int[] st = new int[Math.max(16, count + 2)];
        long[] ad = new long[st.length];
        int c = 0;
        for (int s = 0; s < n; ) {
            int nl = newline(buf, s, n);
            int end = nl < 0 ? n : nl;
            if (MapsParser.isAddressLine(buf, s, end)) {
                if (c + 1 >= st.length) {
                    st = Arrays.copyOf(st, st.length * 2);
                    ad = Arrays.copyOf(ad, st.length);
                }
                st[c] = s;
                ad[c] = hex(buf, s, end);
                c++;
            }
            s = nl < 0 ? n : nl + 1;
        }
        st[c] = n;
        SmapsRecord[] out = new SmapsRecord[c];
        int[] changed = new int[c];
        int nc = 0;
        // Both reads are in address order: walk the previous one alongside.
        int j = 0;
        for (int i = 0; i < c; i++) {
            while (j < count && Long.compareUnsigned(addresses[j], ad[i]) < 0) {
                j++;
            }
            if (j < count && addresses[j] == ad[i] && Arrays.equals(buf, st[i], st[i + 1], text, starts[j],
                    starts[j + 1])) {
                out[i] = records[j];
            } else {
                changed[nc++] = i;
            }
        }
        boolean whole = c == 0 || st[0] != 0; // text before the first record: let the parser judge it
        if (!whole && nc > 0) {
            int[] filled = {0};
            int[] order = changed;
            int total = nc;
            SmapsRecord[] into = out;
            try {
                SmapsParser parser = new SmapsParser(file, r -> {
                    if (filled[0] < total) {
                        into[order[filled[0]]] = r;
                    }
                    filled[0]++;
                });
                for (int k = 0; k < nc; k++) {
                    int i = changed[k];
                    parser.feed(buf, st[i], st[i + 1] - st[i]);
                }
                parser.finish();
                whole = filled[0] != total;
            } catch (MalformedProcFile e) {
                whole = true; // parsed again whole below, so the error names the right line
            }
        }
        if (whole) {
            java.util.List<SmapsRecord> all = SmapsParser.parse(buf, n, file);
            out = all.toArray(new SmapsRecord[0]);
            if (out.length != c) {
                // The parser and this split disagree: deliver the parser's records and keep nothing.
                clear();
                for (SmapsRecord r : out) {
                    sink.accept(r);
                }
                return;
            }
            nc = c;
        }
        lastParsed = nc;
        lastKept = c - nc;
        // Keep this read; the previous text's array is reused for the next one.
        spare = text.length > 0 ? text : new byte[Math.max(64 * 1024, buf.length)];
        text = buf;
        length = n;
        starts = st;
        addresses = ad;
        records = out;
        count = c;
        for (SmapsRecord r : out) {
            sink.accept(r);
        }
    }

    private static int newline(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == '\n') {
                return k;
            }
        }
        return -1;
    }

    /** The start address of an address line (hex digits up to '-'). */
    private static long hex(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                break;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
