package dev.inspector.present;

import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.ProcessList;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden outputs of the presenters, from the captured fixture trees (deterministic snapshots: the capture's time, no
 * live process): what a user sees, byte for byte, in plain text and with colour. A deliberate change of a view is made
 * visible by regenerating them with {@code -Dgolden.update=true} and reviewing the diff of
 * {@code src/test/resources/golden/}.
 */
class GoldenTest {

    private static final Path DIR = golden();

    @ParameterizedTest
    @ValueSource(strings = {"sleep", "tricky"})
    void mapsTable(String tree) throws IOException {
        Snapshot s = Fixtures.snapshot(tree);
        check("maps-" + tree + ".txt", render(MapsView.present(s, new MapsView.Filter(Set.of(), null),
                MapsView.Units.HUMAN), Style.plain()));
        check("maps-" + tree + "-color.txt", render(MapsView.present(s, new MapsView.Filter(Set.of(), null),
                MapsView.Units.KIB), Style.ansi()));
    }

    /** The same tables as an 80-column terminal shows them, in a UTF-8 and in an ASCII-only locale. */
    @ParameterizedTest
    @ValueSource(strings = {"sleep", "tricky"})
    void mapsOnAnEightyColumnTerminal(String tree) throws IOException {
        Snapshot s = Fixtures.snapshot(tree);
        List<Block> blocks = MapsView.present(s, new MapsView.Filter(Set.of(), null), MapsView.Units.HUMAN);
        check("maps-" + tree + "-80.txt", render(blocks, Style.plain(), 80));
        check("maps-" + tree + "-80-ascii.txt", render(blocks, Style.plain().ascii(true), 80));
        check("maps-" + tree + "-summary-file-80.txt", render(MapsView.summary(s, new MapsView.Filter(Set.of(), null),
                MapsView.Units.HUMAN, MapsView.Summary.FILE, MapsView.Order.natural()), Style.plain(), 80));
    }

    @Test
    void diffBetweenTwoCapturedProcesses() throws IOException {
        Snapshot a = Fixtures.snapshot("sleep");
        Snapshot b = Fixtures.snapshot("tricky");
        check("diff-sleep-tricky.txt", render(DiffView.present(SnapshotDiff.compare(a, b, DiffOptions.byModule()),
                DiffView.Options.defaults()), Style.plain()));
        check("diff-sleep-tricky-color.txt", render(DiffView.present(SnapshotDiff.compare(a, b,
                DiffOptions.byModule()), DiffView.Options.defaults()), Style.ansi()));
    }

    @Test
    void processList() throws IOException {
        ProcessList list = Fixtures.host("tricky").processes();
        List<ProcessList.Row> rows = PsView.sorted(list, PsView.Sort.PID, true);
        check("ps-tricky.txt", render(PsView.present(rows, list), Style.plain()));
        check("ps-tricky-80.txt", render(PsView.present(rows, list), Style.plain(), 80));
    }

    @Test
    void snapshotDocument() throws IOException {
        check("snapshot-tricky.json", SnapshotJson.toJson(Fixtures.snapshot("tricky")));
    }

    private static String render(List<Block> blocks, Style style) {
        return render(blocks, style, 0);
    }

    private static String render(List<Block> blocks, Style style, int width) {
        StringWriter w = new StringWriter();
        new TextRenderer(style, width).render(blocks, new PrintWriter(w));
        return w.toString();
    }

    private static void check(String name, String actual) throws IOException {
        Path f = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update") || !Files.exists(f) && Boolean.getBoolean("golden.create")) {
            Files.writeString(f, actual);
            return;
        }
        assertEquals(Files.readString(f), actual, name + " differs from its golden file (regenerate with"
                + " -Dgolden.update=true and review the diff)");
    }

    private static Path golden() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("inspector-tui"))) {
            p = p.getParent();
        }
        return (p == null ? Paths.get("") : p.resolve("inspector-tui")).resolve("src/test/resources/golden");
    }
}
