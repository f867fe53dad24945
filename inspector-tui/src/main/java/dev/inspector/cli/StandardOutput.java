package dev.inspector.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Standard output as the commands write it: a buffered UTF-8 {@link PrintWriter} that, unlike a plain one, remembers
 * why a write failed. PrintWriter keeps only a flag ({@link #checkError()}); {@link Main} needs the cause to tell a
 * reader that went away (EPIPE: end quietly, as a tool killed by SIGPIPE does) from a full disk or an I/O error (one
 * line, exit 11).
 */
public final class StandardOutput extends PrintWriter {

    private final Recorder recorder;

    public StandardOutput(OutputStream out) {
        this(new Recorder(out));
    }

    private StandardOutput(Recorder r) {
        super(new BufferedWriter(new OutputStreamWriter(r, StandardCharsets.UTF_8), 1 << 16), false);
        this.recorder = r;
    }

    /** The first I/O error of a write or flush, or null. */
    public IOException failure() {
        return recorder.failure;
    }

    /** The first I/O error behind {@code w} when it is a {@code StandardOutput}, else null (the cause is unknown). */
    static IOException failureOf(PrintWriter w) {
        return w instanceof StandardOutput s ? s.failure() : null;
    }

    private static final class Recorder extends OutputStream {
        private final OutputStream out;
        private volatile IOException failure;

        Recorder(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw keep(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw keep(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw keep(e);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        private IOException keep(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
