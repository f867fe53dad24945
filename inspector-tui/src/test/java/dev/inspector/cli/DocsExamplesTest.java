package dev.inspector.cli;

import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples of the README and docs/commands/*.md say they are pasted from a real run: this test runs them again
 * and fails when what a user would see has drifted from what the page shows. Not the live numbers: the structure.
 * Table headings must be there word for word, and every documented line must have the shape of a line of today's
 * output (numbers, sizes, addresses and directories count as one kind of token each), in the same order.
 *
 * <p>Each fenced block holding an {@code $ inspector ...} command is preceded by an HTML comment that says how to
 * run it again, or why it is not checked:
 * <pre>
 *   &lt;!-- check: sample typical 2; 1853=pid; width 80 --&gt;
 *   &lt;!-- check: sample sparse_big 64 16 8; 25679=pid; 0x7f75ad4035a8=addr.dense+0x35a8; root --&gt;
 *   &lt;!-- check: run1.json=snapshot typical 2; run2.json=snapshot typical 2 --&gt;
 *   &lt;!-- no check: the output depends on a signal sent while the command waits --&gt;
 * </pre>
 * Directives, separated by ';': {@code sample NAME ARGS} starts a native sample and waits for its "ready" step;
 * {@code TOKEN=pid} stands for its PID in the commands, {@code TOKEN=addr.LABEL}, {@code TOKEN=range.LABEL} and
 * {@code TOKEN=range.LABEL.start} or {@code .end} for what the step announced (an optional {@code +0xN} offset), {@code TOKEN=snapshot
 * NAME ARGS} for a snapshot file of another run of a sample; {@code width N} runs as on a terminal N columns wide;
 * {@code excerpt} says the block shows some of the lines; {@code unordered} that their order varies from run to run
 * (ASLR decides whether a moved mapping sorts first); {@code root} checks it only as root (frames are hidden from
 * other users). A line {@code (exit N)} after a command's output is its exit status, checked too.
 *
 * <p>{@code -Ddocs.update=true} pastes today's output into the pages instead (commands and comments get the new
 * run's PIDs and addresses); review the diff.
 */
@LiveTest
class DocsExamplesTest {

    static final Pattern FENCE = Pattern.compile("^```");
    static final Pattern COMMAND = Pattern.compile("^\\$ (?:\\./)?inspector( .*)?$");
    static final Pattern DIRECTIVE = Pattern.compile("^<!-- (check|no check):?(.*?)-->$");
    static final Pattern EXIT = Pattern.compile("^\\(exit (\\d+)\\)$");

    @TempDir
    Path tmp;

    /** The pages whose examples are checked. */
    static List<Path> pages() throws IOException {
        Path root = LabCommandTest.docs().getParent();
        List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
        try (var s = Files.list(root.resolve("docs/commands"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** One fenced block with inspector commands: where, how to run it, its commands and their documented output. */
    record Example(Path page, int line, String directive, List<Segment> segments, boolean checked) {
        String where() {
            return page.getFileName() + ":" + line;
        }
    }

    /** One command of a block: its line, the lines documented after it, the exit status documented (or null). */
    record Segment(int line, String command, List<String> output, Integer exit) {
    }

    static List<Example> examples(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!FENCE.matcher(lines.get(i)).find()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !FENCE.matcher(lines.get(end)).find()) {
                end++;
            }
            List<Segment> segments = new ArrayList<>();
            for (int k = i + 1; k < end; k++) {
                if (!COMMAND.matcher(lines.get(k)).matches()) {
                    continue;
                }
                List<String> output = new ArrayList<>();
                Integer exit = null;
                int j = k + 1;
                for (; j < end && !lines.get(j).startsWith("$ "); j++) {
                    Matcher e = EXIT.matcher(lines.get(j).trim());
                    if (e.matches()) {
                        exit = Integer.parseInt(e.group(1));
                    } else if (!lines.get(j).isEmpty() || j + 1 < end && !lines.get(j + 1).startsWith("$ ")) {
                        output.add(lines.get(j));
                    }
                }
                while (!output.isEmpty() && output.get(output.size() - 1).isEmpty()) {
                    output.remove(output.size() - 1);
                }
                segments.add(new Segment(k, lines.get(k).substring(2), output, exit));
                k = j - 1;
            }
            if (!segments.isEmpty()) {
                String before = i > 0 ? lines.get(i - 1).trim() : "";
                Matcher d = DIRECTIVE.matcher(before);
                String directive = d.matches() ? d.group(2).trim() : null;
                boolean checked = d.matches() && d.group(1).equals("check");
                out.add(new Example(page, i + 1, directive, segments, checked));
            }
            i = end;
        }
        return out;
    }

    @Test
    void everyDocumentedCommandIsCheckedOrSaysWhyNot() throws Exception {
        List<String> unmarked = new ArrayList<>();
        int checked = 0;
        for (Path p : pages()) {
            for (Example e : examples(p)) {
                if (e.directive() == null) {
                    unmarked.add(e.where());
                } else if (e.checked()) {
                    checked++;
                } else {
                    assertTrue(e.directive().length() > 10, e.where() + ": say why it is not checked");
                }
            }
        }
        assertEquals(List.of(), unmarked, "blocks with inspector commands but no <!-- check: ... --> or <!-- no check:"
                + " why --> before them");
        assertTrue(checked >= 10, "only " + checked + " examples are checked");
    }

    @Test
    void theDocumentedExamplesStillLookTheSame() throws Exception {
        boolean update = Boolean.getBoolean("docs.update");
        List<String> failures = new ArrayList<>();
        for (Path p : pages()) {
            List<String> page = new ArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
            boolean changed = false;
            List<Example> examples = new ArrayList<>(examples(p));
            // pasting changes line numbers below the block: the last block first, its last command first
            java.util.Collections.reverse(examples);
            for (Example e : examples) {
                if (!e.checked()) {
                    continue;
                }
                try (Run run = new Run(e, tmp)) {
                    if (run.skip != null) {
                        System.out.println(e.where() + ": not checked here: " + run.skip);
                        continue;
                    }
                    List<Cli.Result> results = new ArrayList<>();
                    for (Segment s : e.segments()) {
                        results.add(run.execute(s.command()));
                    }
                    for (int i = e.segments().size() - 1; i >= 0; i--) {
                        Segment s = e.segments().get(i);
                        Cli.Result r = results.get(i);
                        List<String> actual = new ArrayList<>(r.out().lines().toList());
                        if (r.code() != 0) {
                            actual.addAll(r.err().lines().toList());
                        }
                        if (update) {
                            changed |= run.paste(page, s, actual, r.code());
                            continue;
                        }
                        String problem = compare(s.output(), actual, run.excerpt, run.unordered);
                        if (s.exit() != null && s.exit() != r.code()) {
                            problem = "exit " + r.code() + ", documented " + s.exit();
                        }
                        if (problem != null) {
                            failures.add(e.where() + " '" + s.command() + "': " + problem + "\n--- today:\n"
                                    + String.join("\n", actual));
                        }
                    }
                    if (update) {
                        changed |= run.renumber(page, e);
                    }
                }
            }
            if (update && changed) {
                Files.write(p, page, StandardCharsets.UTF_8);
            }
        }
        assertEquals(List.of(), failures, "documented examples that drifted (rerun with -Ddocs.update=true, review)");
    }

    /**
     * The sample programs' comments name files of this repository (their protocol in native-samples/README.md, the
     * claims in docs/model/claims.md): each must exist, and none may point outside the checkout.
     */
    @Test
    void theSamplesPointOnlyAtFilesOfThisRepository() throws IOException {
        Path root = LabCommandTest.docs().getParent();
        Pattern named = Pattern.compile("(?<![\\w/.])((?:docs|native-samples|inspector-core|inspector-tui)/[\\w./-]*"
                + "\\.(?:md|h|c|json|java))");
        int checked = 0;
        try (var files = Files.list(root.resolve("native-samples/src"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".h") || p.toString().endsWith(".c")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                assertTrue(!text.contains("/work/") && !text.contains("../shared") && !text.contains("seeds/"),
                        f.getFileName() + " points outside the repository");
                Matcher m = named.matcher(text);
                while (m.find()) {
                    assertTrue(Files.exists(root.resolve(m.group(1))), f.getFileName() + " names " + m.group(1)
                            + ", which is not in the repository");
                    checked++;
                }
            }
        }
        assertTrue(checked >= 2, "pause.h names the README and the claims: " + checked);
    }

    /** The comparison itself: new numbers, PIDs, paths and users pass; a changed heading or line does not. */
    @Test
    void theComparisonSeesDriftButNotNewNumbers() {
        List<String> page = List.of(" N  START              SIZE  NAME", " 1  55e644cf9000         4K  /usr/lib/libc.so.6",
                "...", "total (smaps_rollup): 32 mappings, size 150M, rss 1.6M");
        List<String> today = List.of("  N  START              SIZE  NAME", "  1  7f0000001000       132K  /lib/libc.so.6",
                "  2  7f0000002000         4K  [heap]", "total (smaps_rollup): 31 mappings, size 1.2G, rss 14M");
        assertEquals(null, compare(page, today, true));
        List<String> renamed = List.of(" N  START              SIZE  FILE", today.get(1), today.get(3));
        assertTrue(compare(page, renamed, true).startsWith("the heading is gone"));
        List<String> reworded = List.of(today.get(0), today.get(1), "sum: 31 mappings, size 1.2G, rss 14M");
        assertTrue(compare(page, reworded, true).startsWith("no line of this shape"));
        List<String> reordered = List.of(today.get(0), today.get(3), today.get(1));
        assertTrue(compare(page, reordered, true) != null, "the order counts");
    }

    // ---- comparing ------------------------------------------------------------------------------------------------

    /**
     * Null when every documented line has the shape of an actual line, in order, and every table heading is there
     * word for word; else what is wrong. A line "..." in the page stands for lines left out.
     */
    static String compare(List<String> documented, List<String> actual, boolean excerpt) {
        return compare(documented, actual, excerpt, false);
    }

    static String compare(List<String> documented, List<String> actual, boolean excerpt, boolean unordered) {
        int at = 0;
        boolean loose = false;
        int matched = 0;
        for (String d : documented) {
            if (d.trim().equals("...") || d.trim().isEmpty()) {
                continue;
            }
            String want = shape(d);
            int found = -1;
            for (int k = at; k < actual.size(); k++) {
                if (shape(actual.get(k)).equals(want)) {
                    found = k;
                    break;
                }
            }
            if (found < 0 && !heading(d)) {
                for (int k = at; k < actual.size(); k++) {
                    if (prefix(shape(actual.get(k))).equals(prefix(want))) {
                        found = k;
                        break;
                    }
                }
            }
            if (found < 0 && loose) {
                // the wrapped end of a line whose beginning matched only by its first words (a footer whose clauses
                // vary with the machine: "...; 2 exited during the listing; ..."): where it wraps varies too, so
                // the lines after it are skipped until one matches again
                continue;
            }
            if (found < 0) {
                return (heading(d) ? "the heading is gone: " : "no line of this shape (in this order): ") + d;
            }
            loose = !shape(actual.get(found)).equals(want);
            at = unordered ? 0 : found + 1;
            matched++;
        }
        if (!excerpt && matched > 0 && documented.stream().noneMatch(l -> l.trim().equals("..."))
                && actual.size() > 2 * matched + 5) {
            return "today's output has " + actual.size() + " lines, the page shows " + matched
                    + " (mark an excerpt with 'excerpt' or '...')";
        }
        return null;
    }

    /** A table heading: two or more words of capitals (N, START, PAGES/RUN, MAX-MAPCOUNT, BASE A ...). */
    static boolean heading(String line) {
        String[] w = line.trim().split("\\s+");
        return w.length >= 2 && line.trim().matches("[A-Z0-9/_\\-]+(\\s+[A-Z0-9/_\\-]+)+");
    }

    /** The first words of a shape: enough to recognise a labelled line whose end varies with the machine. */
    static String prefix(String shape) {
        String[] w = shape.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(w.length, 3)));
    }

    /**
     * A line's shape: its words with every number, size, address, range and PID as '#', a path as its last part, the
     * name of the user running the commands as USER.
     */
    static String shape(String line) {
        String[] words = line.replaceAll("\u001b\\[[0-9;]*m", "").trim().split("\\s+");
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.length() == 0 ? "" : " ").append(token(w));
        }
        return b.toString();
    }

    static String token(String w) {
        String user = System.getProperty("user.name");
        if (w.equals(user) || w.equals("root")) {
            return "USER";
        }
        if (w.matches("[+-]?\\d[\\d.]*[KMGTPE]?[,;:)]*")) {
            return "#";
        }
        if (w.matches("\\(?[+-]?(0x)?[0-9a-f]*\\d[0-9a-f]*(-(0x)?[0-9a-f]+)?\\)?[,;:]*") && w.length() >= 4) {
            return "#";
        }
        int slash = w.lastIndexOf('/');
        if (slash >= 0 && (w.startsWith("/") || w.startsWith("\u2026/") || w.startsWith(".../"))) {
            return "/" + w.substring(slash + 1).replaceAll("\\d+", "#");
        }
        return w.replaceAll("0x[0-9a-f]+", "#").replaceAll("\\d+", "#");
    }

    // ---- running --------------------------------------------------------------------------------------------------

    /** The live side of one example: its samples, the values its tokens stand for, where its output goes. */
    static final class Run implements AutoCloseable {
        final Map<String, String> tokens = new LinkedHashMap<>();
        final List<SampleProgram> started = new ArrayList<>();
        final Path tmp;
        OutputEnv output = OutputEnv.pipe();
        boolean excerpt;
        boolean unordered;
        String skip;

        Run(Example e, Path tmp) throws IOException {
            this.tmp = tmp;
            SampleProgram sample = null;
            SampleStep step = null;
            for (String d : e.directive().split(";")) {
                d = d.trim();
                if (d.isEmpty()) {
                    continue;
                }
                if (d.startsWith("sample ")) {
                    String[] w = d.substring(7).trim().split("\\s+");
                    sample = Samples.start(w[0], java.util.Arrays.copyOfRange(w, 1, w.length));
                    started.add(sample);
                    step = sample.awaitStep("ready");
                } else if (d.startsWith("width ")) {
                    output = OutputEnv.terminal(Integer.parseInt(d.substring(6).trim()), true)
                            .with(Map.of("LANG", "C.UTF-8"));
                } else if (d.equals("excerpt")) {
                    excerpt = true;
                } else if (d.equals("unordered")) {
                    unordered = true;
                } else if (d.equals("root")) {
                    if (!"root".equals(System.getProperty("user.name"))) {
                        skip = "frames are shown to root only";
                    }
                } else if (d.contains("=")) {
                    String token = d.substring(0, d.indexOf('=')).trim();
                    String value = d.substring(d.indexOf('=') + 1).trim();
                    tokens.put(token, value(value, sample, step));
                } else {
                    throw new IllegalArgumentException(e.where() + ": unknown directive '" + d + "'");
                }
            }
        }

        private String value(String v, SampleProgram sample, SampleStep step) throws IOException {
            if (v.equals("pid")) {
                return Integer.toString(sample.pid());
            }
            if (v.startsWith("snapshot ")) {
                String[] w = v.substring(9).trim().split("\\s+");
                Path f = Files.createTempFile(tmp, w[0], ".json");
                try (SampleProgram other = Samples.start(w[0], java.util.Arrays.copyOfRange(w, 1, w.length))) {
                    other.awaitStep("ready");
                    Cli.Result r = Cli.run("snapshot", Integer.toString(other.pid()), "-o", f.toString());
                    if (r.code() != 0) {
                        throw new IllegalStateException(r.err());
                    }
                }
                return f.toString();
            }
            long offset = 0;
            int plus = v.indexOf('+');
            if (plus > 0) {
                offset = Long.parseUnsignedLong(v.substring(plus + 1).replace("0x", ""), 16);
                v = v.substring(0, plus);
            }
            if (v.startsWith("addr.")) {
                return "0x" + Long.toHexString(step.addr(v.substring(5)) + offset);
            }
            if (v.startsWith("range.")) {
                String name = v.substring(6);
                boolean start = name.endsWith(".start");
                boolean end = name.endsWith(".end");
                String r = step.value("range." + (start ? name.substring(0, name.length() - 6)
                        : end ? name.substring(0, name.length() - 4) : name));
                if (start || end) {
                    String edge = start ? r.substring(2, r.indexOf('-')) : r.substring(r.indexOf('-') + 3);
                    return "0x" + Long.toHexString(Long.parseUnsignedLong(edge, 16) + offset);
                }
                return r;
            }
            throw new IllegalArgumentException("unknown value '" + v + "'");
        }

        /** Runs one documented command line ("inspector maps 1853 | head -5") with the live values. */
        Cli.Result execute(String command) {
            String c = substitute(command);
            int head = -1;
            Matcher m = Pattern.compile("\\s*\\|\\s*head -(?:n )?(\\d+)\\s*$").matcher(c);
            if (m.find()) {
                head = Integer.parseInt(m.group(1));
                c = c.substring(0, m.start());
            }
            List<String> argv = new ArrayList<>(List.of(c.trim().split("\\s+")));
            argv.remove(0); // inspector or ./inspector
            Cli.Result r = Cli.on(output, argv.toArray(new String[0]));
            if (head >= 0) {
                List<String> lines = r.out().lines().toList();
                String out = String.join("\n", lines.subList(0, Math.min(head, lines.size()))) + "\n";
                return new Cli.Result(r.code(), out, r.err());
            }
            return r;
        }

        String substitute(String text) {
            String out = text;
            for (Map.Entry<String, String> t : tokens.entrySet()) {
                out = out.replace(t.getKey(), t.getValue());
            }
            return out;
        }

        /** Update mode: the segment's documented output replaced by today's (an excerpt keeps its chosen lines). */
        boolean paste(List<String> page, Segment s, List<String> actual, int code) {
            int from = s.line() + 1;
            int to = from;
            while (to < page.size() && !page.get(to).startsWith("$ ") && !FENCE.matcher(page.get(to)).find()) {
                to++;
            }
            List<String> fresh = new ArrayList<>();
            boolean full = Boolean.getBoolean("docs.full"); // paste everything, to choose a new excerpt by hand
            if (!full && (excerpt || s.output().stream().anyMatch(l -> l.trim().equals("...")))) {
                int at = 0;
                for (String d : s.output()) {
                    if (d.trim().equals("...") || d.isEmpty()) {
                        fresh.add(d);
                        continue;
                    }
                    String want = shape(d);
                    int found = -1;
                    for (int k = at; k < actual.size() && found < 0; k++) {
                        if (shape(actual.get(k)).equals(want) || prefix(shape(actual.get(k))).equals(prefix(want))) {
                            found = k;
                        }
                    }
                    if (found >= 0) {
                        fresh.add(actual.get(found));
                        at = found + 1;
                    }
                }
            } else {
                fresh.addAll(actual);
            }
            if (s.exit() != null) {
                fresh.add("(exit " + code + ")");
            }
            boolean blankAfter = to > from && page.get(to - 1).isEmpty() && to < page.size()
                    && page.get(to).startsWith("$ ");
            if (blankAfter) {
                fresh.add("");
            }
            List<String> old = new ArrayList<>(page.subList(from, to));
            if (old.equals(fresh)) {
                return false;
            }
            for (int k = to - 1; k >= from; k--) {
                page.remove(k);
            }
            page.addAll(from, fresh);
            return true;
        }

        /** Update mode: the block's commands and its comment get the values of this run. */
        boolean renumber(List<String> page, Example e) {
            boolean changed = false;
            int open = e.line() - 1;
            for (int k = open - 1; k < page.size(); k++) {
                if (k > open && FENCE.matcher(page.get(k)).find()) {
                    break;
                }
                String line = page.get(k);
                String fresh = line;
                for (Map.Entry<String, String> t : tokens.entrySet()) {
                    if (!t.getValue().startsWith("/")) {
                        fresh = fresh.replace(t.getKey(), t.getValue());
                    }
                }
                if (!fresh.equals(line)) {
                    page.set(k, fresh);
                    changed = true;
                }
            }
            return changed;
        }

        @Override
        public void close() {
            for (SampleProgram s : started) {
                s.close();
            }
        }
    }
}
