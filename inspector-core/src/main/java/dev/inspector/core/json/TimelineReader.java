package dev.inspector.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inspector.core.BadInput;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a timeline written by {@link TimelineWriter}, strictly: every complete line must be a valid record in order
 * (snapshot, deltas with consecutive {@code seq}, at most one exit, nothing after it), and every delta must apply to
 * the point before it. The one thing tolerated is an incomplete last line without its newline, which is what an
 * interrupted writer leaves; it is reported in {@link Timeline#warning()}, never dropped silently.
 */
public final class TimelineReader {

    private TimelineReader() {
    }

    public static Timeline read(Path file) {
        return read(file, file.toString());
    }

    /** The same, naming the input {@code name} in messages (a copy of a FIFO is named after the FIFO). */
    static Timeline read(Path path, String file) {
        String kind = SnapshotJson.kindOf(path, file);
        if (!kind.equals(SnapshotJson.TIMELINE_KIND)) {
            throw new BadInput(file + ": /kind: not an inspector timeline (kind is \"" + In.quote(kind) + "\""
                    + (kind.equals(SnapshotJson.KIND) ? "; it is a single snapshot, not a timeline)" : ")"));
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, file);
        } catch (IOException e) {
            throw In.readError(path, e);
        }
    }

    /** Reads a timeline from a stream; {@code name} names it in messages. */
    public static Timeline read(InputStream in, String name) {
        try {
            return readLines(in, name);
        } catch (IOException e) {
            throw new BadInput(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Timeline readLines(InputStream in, String name) throws IOException {
        State st = new State(name);
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[1 << 16];
        int len = 0;
        int lineNo = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    int add = i - from;
                    if (len + add > line.length) {
                        line = Arrays.copyOf(line, Math.max(line.length * 2, len + add));
                    }
                    System.arraycopy(chunk, from, line, len, add);
                    len += add;
                    lineNo++;
                    st.line(line, len, lineNo, true);
                    len = 0;
                    from = i + 1;
                }
            }
            int add = n - from;
            if (len + add > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, len + add));
            }
            System.arraycopy(chunk, from, line, len, add);
            len += add;
        }
        if (len > 0) {
            st.line(line, len, lineNo + 1, false);
        }
        if (st.base == null && st.exit == null && st.warning != null) {
            throw new BadInput(st.warning.replace(" and was ignored", "") + "; no complete snapshot in the file");
        }
        if (st.base == null && st.exit == null) {
            throw new BadInput(name + ": empty file, expected a timeline starting with {\"kind\": \"" + SnapshotJson.TIMELINE_KIND + "\"");
        }
        return new Timeline(name, st.base, st.deltas, st.exit, st.warning);
    }

    /** Parsing state across lines. */
    private static final class State {
        final String name;
        Snapshot base;
        Snapshot current;
        final List<Timeline.Delta> deltas = new ArrayList<>();
        Timeline.Exit exit;
        String warning;
        int lastSeq = -1;
        /** The schema version of the first line, which the deltas after it share. */
        int version = Snapshot.SCHEMA_VERSION;

        State(String name) {
            this.name = name;
        }

        void line(byte[] b, int len, int lineNo, boolean complete) {
            String label = name + " line " + lineNo;
            try {
                record(b, len, lineNo, label);
            } catch (BadInput e) {
                if (complete) {
                    throw e;
                }
                // Only a last line without its newline may be cut short: the writer was stopped mid-line.
                warning = label + " is incomplete (the writer was interrupted) and was ignored: " + e.getMessage();
            }
        }

        void record(byte[] b, int len, int lineNo, String label) {
            if (len == 0 || (len == 1 && b[0] == '\r')) {
                throw new BadInput(label + ": empty line, expected a timeline record");
            }
            if (exit != null) {
                throw new BadInput(label + ": a record after the exit record");
            }
            if (base == null && lineNo == 1) {
                first(b, len, label);
                return;
            }
            JsonNode node;
            try {
                try (JsonParser p = SnapshotReader.parser(b, 0, len)) {
                    node = p.readValueAsTree();
                    if (node == null) {
                        throw new BadInput(label + ": empty line, expected a timeline record");
                    }
                    if (p.nextToken() != null) {
                        throw new BadInput(label + SnapshotReader.where(p.currentLocation(), lineNo)
                                + ": unexpected content after the end of the record");
                    }
                }
            } catch (JsonProcessingException e) {
                throw new BadInput(label + SnapshotReader.where(e.getLocation(), lineNo)
                        + ": " + SnapshotReader.oneLine(e.getOriginalMessage()), e);
            } catch (IOException e) {
                throw new BadInput(label + ": " + e.getMessage(), e);
            }
            In in = new In(node, "", label).object();
            String type = in.get("type").str();
            In seqIn = in.get("seq");
            int seq = seqIn.integer();
            if (seq != lastSeq + 1) {
                throw seqIn.fail("expected seq " + (lastSeq + 1) + " after seq " + lastSeq + ", found " + seq);
            }
            switch (type) {
                case "delta":
                    if (base == null) {
                        throw in.get("type").fail("a delta before any snapshot");
                    }
                    Timeline.Delta d = delta(in);
                    current = apply(current, d, label);
                    deltas.add(d);
                    break;
                case "exit":
                    exit = exit(in);
                    break;
                default:
                    throw in.get("type").bad("\"delta\" or \"exit\"");
            }
            lastSeq = seq;
        }

        private void first(byte[] b, int len, String label) {
            SnapshotReader.Top top;
            try (JsonParser p = SnapshotReader.parser(b, 0, len)) {
                top = SnapshotReader.readTop(p, label, 1, SnapshotJson.TIMELINE_KIND);
            } catch (IOException e) {
                throw new BadInput(label + ": " + e.getMessage(), e);
            }
            JsonNode typeNode = top.members.get("type");
            In type = new In(typeNode == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : typeNode, "/type", label);
            if (typeNode == null) {
                throw new BadInput(label + ": /type: missing required member \"type\"");
            }
            JsonNode seqNode = top.members.get("seq");
            if (seqNode == null || !seqNode.isIntegralNumber() || seqNode.asLong() != 0) {
                throw new In(seqNode == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : seqNode,
                        "/seq", label).bad("0 (the first record)");
            }
            if ("exit".equals(type.str()) && top.regions == null) {
                com.fasterxml.jackson.databind.node.ObjectNode o = SnapshotReader.MAPPER.createObjectNode();
                o.setAll(top.members);
                exit = exit(new In(o, "", label));
                lastSeq = 0;
                return;
            }
            if (!"snapshot".equals(type.str())) {
                throw type.bad("\"snapshot\" (a timeline starts with a full snapshot)");
            }
            version = top.version;
            base = SnapshotReader.snapshot(top, label);
            current = base;
            lastSeq = 0;
        }

        private Timeline.Delta delta(In in) {
            boolean hostChanged = in.opt("host") != null;
            boolean kernelChanged = in.opt("kernel") != null;
            In rc = in.get("regionChanges").object();
            List<Long> remove = new ArrayList<>();
            for (In r : rc.get("remove").elements()) {
                remove.add(r.hex());
            }
            List<Region> put = new ArrayList<>();
            for (In r : rc.get("put").elements()) {
                put.add(SnapshotReader.region(r, version));
            }
            return new Timeline.Delta(SnapshotReader.instant(in.get("takenAt")), SnapshotReader.process(in.get("process")),
                    SnapshotReader.threads(in.get("threads")), SnapshotReader.bases(in.get("bases")),
                    SnapshotReader.smaps(in.get("rollup")), hostChanged,
                    hostChanged ? SnapshotReader.host(in.get("host")) : null, kernelChanged,
                    kernelChanged ? SnapshotReader.kernel(in.get("kernel")) : null, remove, put);
        }

        private Timeline.Exit exit(In in) {
            return new Timeline.Exit(SnapshotReader.instant(in.get("takenAt")), in.get("exitStatus").integerOrNull(),
                    in.get("reason").str());
        }
    }

    /** Applies a delta that was validated when the timeline was read. */
    static Snapshot apply(Snapshot prev, Timeline.Delta d) {
        return apply(prev, d, null);
    }

    /**
     * The next point: the previous regions minus those the delta removes (by start address), plus those it puts, in
     * address order. With a {@code label}, a delta that does not fit the previous point is a {@link BadInput}.
     */
    static Snapshot apply(Snapshot prev, Timeline.Delta d, String label) {
        Map<Long, Region> byStart = new HashMap<>(prev.regions().size() * 2);
        for (Region r : prev.regions()) {
            byStart.put(r.mapping().start(), r);
        }
        Set<Long> gone = new HashSet<>();
        for (int i = 0; i < d.remove().size(); i++) {
            long start = d.remove().get(i);
            if (byStart.remove(start) == null || !gone.add(start)) {
                throw new BadInput(label + ": /regionChanges/remove/" + i + ": no region starts at " + Hex.format(start)
                        + " in the previous point");
            }
        }
        for (int i = 0; i < d.put().size(); i++) {
            Region r = d.put().get(i);
            if (byStart.putIfAbsent(r.mapping().start(), r) != null) {
                throw new BadInput(label + ": /regionChanges/put/" + i + ": a region already starts at "
                        + Hex.format(r.mapping().start()));
            }
        }
        List<Region> regions = new ArrayList<>(byStart.values());
        regions.sort((x, y) -> Long.compareUnsigned(x.mapping().start(), y.mapping().start()));
        if (label != null) {
            SnapshotReader.checkRegions(regions, label, "/regionChanges/put (the point it builds), region");
        }
        return new Snapshot(prev.schemaVersion(), prev.toolVersion(), d.takenAt(), d.hostChanged() ? d.host() : prev.host(),
                d.process(), regions, d.threads(), d.bases(), d.kernelChanged() ? d.kernel() : prev.kernel(), d.rollup());
    }
}
