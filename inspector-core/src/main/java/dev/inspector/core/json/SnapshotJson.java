package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.PrettyPrinter;
import dev.inspector.core.BadInput;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Snapshot} as one JSON document (docs/schema/snapshot-v2.schema.json, explained in docs/snapshots.md).
 * Writing streams, one line per top-level member and per region (the members through a Jackson {@link JsonGenerator},
 * the regions through {@link RegionJson}), so a 60,000-mapping snapshot is never held as text in memory. Reading is strict: the result is the complete record tree or
 * a {@link BadInput} whose one-line message names the file, the place (line and column, or a JSON pointer) and what
 * was expected.
 */
public final class SnapshotJson {

    /** The {@code kind} of a snapshot document. */
    public static final String KIND = "inspector-snapshot";
    /** The {@code kind} of a watch timeline (first line of the NDJSON file). */
    public static final String TIMELINE_KIND = "inspector-timeline";

    private SnapshotJson() {
    }

    private static final byte[] REGIONS = ",\n\"regions\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FIRST = "\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEXT = ",\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_EMPTY = "]\n}\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n]\n}\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Writes the document to {@code out} (not closed) and ends it with a newline. Jackson writes the small members;
     * the regions, nearly all the bytes, are encoded by {@link RegionJson} straight into the stream with the
     * separators {@link LinePrinter} puts there (one region per line), so the text is the same as
     * {@link #write(Snapshot, java.io.Writer)} gives.
     */
    public static void write(Snapshot s, OutputStream out) throws IOException {
        try (JsonGenerator g = SnapshotWriter.FACTORY.createGenerator(out)) {
            // The object stays open when the generator is closed: its last member and end are written below.
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            JsonDocument.begin(g);
            SnapshotWriter.writeHeader(g, KIND, s);
            SnapshotWriter.writeMembersBeforeRegions(g, s);
        }
        RegionJson enc = new RegionJson(1 << 17);
        enc.raw(REGIONS);
        List<Region> regions = s.regions();
        for (int i = 0, n = regions.size(); i < n; i++) {
            enc.raw(i == 0 ? FIRST : NEXT);
            enc.region(regions.get(i));
            if (enc.length() >= 1 << 16) {
                enc.drainTo(out);
            }
        }
        enc.raw(regions.isEmpty() ? END_EMPTY : END);
        enc.drainTo(out);
    }

    /** Writes the document to a character stream (not closed), e.g. a command's output writer. */
    public static void write(Snapshot s, java.io.Writer out) throws IOException {
        JsonDocument.write(out, g -> {
            SnapshotWriter.writeHeader(g, KIND, s);
            SnapshotWriter.writeSnapshotMembers(g, s);
        });
    }

    /**
     * Writes the document with a {@code totals} member (before {@code regions}): what {@code maps --json} writes, the
     * figures of its table's totals line.
     */
    public static void write(Snapshot s, MappingTotals totals, java.io.Writer out) throws IOException {
        JsonDocument.write(out, g -> {
            SnapshotWriter.writeHeader(g, KIND, s);
            SnapshotWriter.writeMembersBeforeRegions(g, s);
            SnapshotWriter.writeTotals(g, totals);
            g.writeFieldName("regions");
            SnapshotWriter.writeRegions(g, s.regions());
        });
    }

    /**
     * Writes the document to {@code target} atomically (see {@link AtomicFile}); {@code "-"} writes to standard
     * output. A failure leaves an existing file untouched.
     */
    public static void write(Snapshot s, String target) {
        AtomicFile.write(target, out -> write(s, out));
    }

    /** The document as a string (for small snapshots and tests). */
    public static String toJson(Snapshot s) {
        return JsonDocument.text(out -> write(s, out));
    }

    /** Reads a snapshot file strictly. */
    public static Snapshot read(Path file) {
        return read(file, file.toString());
    }

    /** The same, naming the input {@code name} in messages (a copy of a FIFO is named after the FIFO). */
    static Snapshot read(Path file, String name) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, name);
        } catch (IOException e) {
            throw In.readError(file, e);
        }
    }

    /** Reads a snapshot document from a stream; {@code name} names it in messages. */
    public static Snapshot read(InputStream in, String name) {
        try (JsonParser p = SnapshotReader.MAPPER.createParser(in)) {
            SnapshotReader.Top top = SnapshotReader.readTop(p, name, 0, KIND);
            return SnapshotReader.snapshot(top, name);
        } catch (IOException e) {
            throw new BadInput(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses a snapshot from a string; {@code name} names it in messages. */
    public static Snapshot parse(String json, String name) {
        return read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), name);
    }

    /**
     * What kind of inspector file this is, from its first member, without reading the rest: {@link #KIND},
     * {@link #TIMELINE_KIND} or {@link DiffJson#KIND}. Lets {@code diff} accept either a snapshot or a timeline.
     */
    public static String kindOf(Path file) {
        return kindOf(file, file.toString());
    }

    static String kindOf(Path path, String file) {
        try (InputStream in = Files.newInputStream(path); JsonParser p = SnapshotReader.MAPPER.createParser(in)) {
            if (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT
                    && p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && "kind".equals(p.currentName())
                    && p.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                String k = p.getText();
                if (k.equals(KIND) || k.equals(TIMELINE_KIND) || k.equals(DiffJson.KIND)) {
                    return k;
                }
                throw new BadInput(file + ": /kind: not an inspector file (kind \"" + In.quote(k) + "\")");
            }
            throw new BadInput(file + ": not an inspector snapshot or timeline (expected it to begin with {\"kind\": "
                    + "\"" + KIND + "\" or \"" + TIMELINE_KIND + "\")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInput(file + SnapshotReader.where(e.getLocation(), 0) + ": " + SnapshotReader.oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw In.readError(path, e);
        }
    }

    /**
     * Puts each top-level member and each element of a top-level array on its own line: a diff of two files, grep and
     * parse-error line numbers stay useful, at the cost of a few bytes per region instead of full indentation.
     */
    static final class LinePrinter implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            if (depth == 1) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(':');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 1 ? ",\n" : ",");
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            g.writeRaw(depth == 0 ? "\n}" : "}");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (depth == 2) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(depth == 2 ? ",\n" : ",");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            g.writeRaw(depth == 1 && values > 0 ? "\n]" : "]");
        }
    }
}
