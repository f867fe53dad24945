package dev.inspector.present;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Live;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/architecture.md's example of adding a view is the code of {@link ThreadsViewExample}, and it works. */
@LiveTest
class ArchitectureDocTest {

    @Test
    void theDocumentShowsTheExampleExactly() throws Exception {
        Path root = Paths.get("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("docs"))) {
            root = root.getParent();
        }
        String src = Files.readString(root.resolve(
                "inspector-tui/src/test/java/dev/inspector/present/ThreadsViewExample.java"));
        String code = src.substring(src.indexOf("// example:begin\n") + "// example:begin\n".length(),
                src.indexOf("    // example:end"));
        String doc = Files.readString(root.resolve("docs/architecture.md"));
        int at = doc.indexOf("## Adding a view");
        int open = doc.indexOf("```java\n", at) + "```java\n".length();
        String shown = doc.substring(open, doc.indexOf("```", open));
        assertEquals(code, shown);
    }

    @Test
    void theExampleListsTheThreadsOfThisProcess() {
        StringWriter w = new StringWriter();
        ThreadsViewExample.print(Live.host(), (int) ProcessHandle.current().pid(), Style.plain(), new PrintWriter(w));
        java.util.List<String> lines = w.toString().lines().collect(java.util.stream.Collectors.toList());
        assertTrue(lines.get(0).trim().startsWith("TID  COMM"), lines.get(0));
        // a row per thread between the header and the total, and this test's own thread among them
        assertEquals((lines.size() - 2) + " threads", lines.get(lines.size() - 1));
        assertTrue(lines.size() > 3, w.toString());
    }
}
