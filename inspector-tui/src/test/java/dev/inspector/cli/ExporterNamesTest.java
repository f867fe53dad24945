package dev.inspector.cli;

import dev.inspector.cli.export.Listen;
import dev.inspector.core.export.KindFigures;
import dev.inspector.core.export.ProcessExporter;
import dev.inspector.core.model.RegionKind;
import dev.inspector.present.Kinds;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exporter's names and addresses, without a process: kinds as maps names them, the docs, --listen. */
class ExporterNamesTest {

    /** docs/exporter.md names every metric the exporter writes, and only those (plus the client's scrape counter). */
    @Test
    void theDocsListEveryMetric() throws Exception {
        Path repo = Paths.get("").toAbsolutePath();
        while (!Files.isDirectory(repo.resolve("docs"))) {
            repo = repo.getParent();
        }
        String doc = Files.readString(repo.resolve("docs/exporter.md"));
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (java.lang.reflect.Field f : dev.inspector.core.export.ProcessExporter.Names.class.getFields()) {
            names.add((String) f.get(null));
        }
        names.add("inspector_exporter_scrapes_total");
        for (String n : names) {
            assertTrue(doc.contains("`" + n), "docs/exporter.md does not describe " + n);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(inspector_[a-z_]+)").matcher(doc);
        while (m.find()) {
            assertTrue(names.contains(m.group(1)), "docs/exporter.md names " + m.group(1) + ", which is not written");
        }
        for (RegionKind k : RegionKind.values()) {
            assertTrue(doc.contains("`" + KindFigures.label(k) + "`"), "docs/exporter.md lacks the kind " + k);
        }
    }

    @Test
    void kindLabelsAreTheNamesMapsShows() {
        for (RegionKind k : RegionKind.values()) {
            assertEquals(Kinds.name(k), KindFigures.label(k));
        }
    }

    @Test
    void aLoopbackAddressIsTheDefaultAndOthersAreWarnedAbout() throws Exception {
        assertEquals("127.0.0.1:9780", Listen.DEFAULT);
        assertTrue(Listen.parse("127.0.0.1:0").loopbackOnly());
        assertTrue(Listen.parse("[::1]:0").loopbackOnly());
        assertFalse(Listen.parse("0.0.0.0:0").loopbackOnly());
    }

    @Test
    void listenRejectsWhatIsNotHostColonPort() {
        for (String bad : new String[] {"nonsense", ":9780", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
            "::1:9780", "[::1]", "127.0.0.1:http"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Listen.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--listen takes HOST:PORT (default 127.0.0.1:9780), not '" + bad
                    + "'"), e.getMessage());
        }
        assertEquals(9780, Listen.parse("[::1]:9780").port());
        assertEquals(0, Listen.parse("127.0.0.1:0").port());
    }
}
