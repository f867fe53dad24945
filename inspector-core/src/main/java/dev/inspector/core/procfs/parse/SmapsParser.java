package dev.inspector.core.procfs.parse;

import dev.inspector.core.model.Mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Streaming parser of {@code /proc/PID/smaps}. Text is fed in chunks of any size ({@link #feed}, or a whole channel
 * or stream through {@link #parse(ReadableByteChannel, String, Consumer)}); every completed record goes to the
 * consumer, so a 43 MB smaps of a 60,000-mapping process is never held whole. Only a partial line is carried between
 * chunks.
 *
 * <p>A record starts at an address line (recognised by {@link MapsParser#isAddressLine}, the same "start-end perms"
 * shape as maps) and owns every "Key: value" line up to the next one. Keys are not guessed from their case: the
 * kernel adds fields over time (Pss_Dirty in 6.0, KSM in 6.6 ...), and all of them are kept in kernel order.
 */
public final class SmapsParser {

    private static final int CHUNK = 64 * 1024;

    private final Consumer<SmapsRecord> sink;
    private final SmapsFields fields;
    private final MapsParser.Cursor cursor;
    private byte[] buf = new byte[CHUNK];
    private int held;
    private int lineNo;
    private Mapping mapping;
    private boolean finished;

    /** A parser that sends each record to {@code sink}; {@code file} names the source in errors. */
    public SmapsParser(String file, Consumer<SmapsRecord> sink) {
        this.sink = sink;
        this.fields = new SmapsFields(file);
        this.cursor = new MapsParser.Cursor(file);
    }

    /** Reads the channel to its end, sending each record to {@code sink}. */
    public static void parse(ReadableByteChannel ch, String file, Consumer<SmapsRecord> sink) throws IOException {
        SmapsParser p = new SmapsParser(file, sink);
        p.readAll(ch);
        p.finish();
    }

    /** Reads the stream to its end, sending each record to {@code sink}. */
    public static void parse(InputStream in, String file, Consumer<SmapsRecord> sink) throws IOException {
        SmapsParser p = new SmapsParser(file, sink);
        byte[] chunk = new byte[CHUNK];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            p.feed(chunk, 0, n);
        }
        p.finish();
    }

    /** Parses a whole smaps text held in memory (tests, fixtures, small processes). */
    public static List<SmapsRecord> parse(byte[] text, int len, String file) {
        List<SmapsRecord> out = new ArrayList<>();
        SmapsParser p = new SmapsParser(file, out::add);
        p.lines(text, 0, len, true);
        p.finish();
        return out;
    }

    /** Reads from {@code ch} straight into the parser's buffer until end of file (no extra copy). */
    public void readAll(ReadableByteChannel ch) throws IOException {
        while (true) {
            if (held == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than the buffer
            }
            int n = ch.read(ByteBuffer.wrap(buf, held, buf.length - held));
            if (n < 0) {
                return;
            }
            held += n;
            consumeHeld();
        }
    }

    /** Feeds the next chunk of text; chunk boundaries may fall anywhere, even inside a line. */
    public void feed(byte[] chunk, int off, int n) {
        if (finished) {
            throw new IllegalStateException("feed after finish");
        }
        if (held + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, held + n));
        }
        System.arraycopy(chunk, off, buf, held, n);
        held += n;
        consumeHeld();
    }

    /** Ends the input: parses a last line without a newline and emits the last record. */
    public void finish() {
        if (finished) {
            return;
        }
        if (held > 0) {
            line(buf, 0, held);
            held = 0;
        }
        emit();
        finished = true;
    }

    private void consumeHeld() {
        int used = lines(buf, 0, held, false);
        if (used > 0) {
            System.arraycopy(buf, used, buf, 0, held - used);
            held -= used;
        }
    }

    /** Parses the complete lines in [from, to); returns the index after the last newline consumed. */
    private int lines(byte[] b, int from, int to, boolean lastLineComplete) {
        int s = from;
        while (s < to) {
            // Fast path, most lines of smaps: "Key:   N kB\n", parsed in one pass including its newline.
            if (mapping != null) {
                int next = fields.kbLine(b, s, to, lineNo + 1);
                if (next > 0) {
                    lineNo++;
                    s = next;
                    continue;
                }
            }
            int nl = MapsParser.indexOf(b, (byte) '\n', s, to);
            if (nl < 0) {
                if (lastLineComplete) {
                    line(b, s, to);
                    return to;
                }
                return s;
            }
            line(b, s, nl);
            s = nl + 1;
        }
        return s;
    }

    private void line(byte[] b, int from, int to) {
        lineNo++;
        if (to == from) {
            return; // the kernel writes no empty lines; tolerate a trailing one in hand-made text
        }
        if (MapsParser.isAddressLine(b, from, to)) {
            emit();
            mapping = MapsParser.parseLine(b, from, to, cursor, lineNo);
            return;
        }
        if (mapping == null) {
            throw fields.bad(b, from, to, lineNo, "a field before the first address line");
        }
        fields.line(b, from, to, lineNo);
    }

    private void emit() {
        if (mapping != null) {
            sink.accept(new SmapsRecord(mapping, fields.finish()));
            mapping = null;
        }
    }

    /** Number of lines seen so far (for callers reporting progress or errors). */
    public int lineCount() {
        return lineNo;
    }

}
