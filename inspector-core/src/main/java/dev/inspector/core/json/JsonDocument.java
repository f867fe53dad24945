package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The shape every document the inspector writes shares (snapshot, diff): one JSON object, one member per line
 * ({@link SnapshotJson.LinePrinter}), a final newline, the target left open.
 */
final class JsonDocument {

    /** Writes the members of the document's object. */
    @FunctionalInterface
    interface Members {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonDocument() {
    }

    static void write(OutputStream out, Members members) throws IOException {
        try (JsonGenerator g = SnapshotWriter.FACTORY.createGenerator(out)) {
            write(g, members);
        }
    }

    static void write(Writer out, Members members) throws IOException {
        try (JsonGenerator g = SnapshotWriter.FACTORY.createGenerator(out)) {
            write(g, members);
        }
    }

    /**
     * Opens the document on {@code g}: the target stays open and members go one per line. The caller writes the
     * members and closes the object ({@link #write(JsonGenerator, Members)} does both).
     */
    static void begin(JsonGenerator g) throws IOException {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setPrettyPrinter(new SnapshotJson.LinePrinter());
        g.writeStartObject();
    }

    private static void write(JsonGenerator g, Members members) throws IOException {
        begin(g);
        members.write(g);
        g.writeEndObject();
        g.writeRaw('\n');
    }

    /** What {@code content} writes, as text (for small documents and tests). */
    static String text(AtomicFile.Content content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            content.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
