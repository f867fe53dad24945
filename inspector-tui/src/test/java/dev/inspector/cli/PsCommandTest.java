package dev.inspector.cli;

import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LiveTest
class PsCommandTest {

    @Test
    void listsALiveChildWithItsFigures() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            Cli.Result r = Cli.run("ps", "--color=never");
            assertEquals(0, r.code(), r.err());
            String line = r.out().lines().filter(l -> l.trim().startsWith(child.pid() + " "))
                    .findFirst().orElseThrow(() -> new AssertionError("child missing:\n" + r.out()));
            assertTrue(line.endsWith("sleep 30"), line);
            assertTrue(r.out().lines().findFirst().orElseThrow()
                    .matches("\\s*PID\\s+USER\\s+STATE\\s+VSZ\\s+RSS\\s+PSS\\s+MAPS\\s+COMMAND"));
            assertTrue(line.matches("\\s*" + child.pid() + "\\s+\\S+\\s+(sleep|run)\\s.*"), line);
            assertTrue(r.out().contains(" processes"), r.out());
        } finally {
            child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sortsByRssLargestFirst() {
        Cli.Result r = Cli.run("ps", "--sort", "rss", "--bytes-not-an-option");
        assertEquals(ExitCodes.USAGE, r.code());
        Cli.Result ok = Cli.run("ps", "--sort=rss", "-n", "5", "--color=never");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(1 + 5 + 1, ok.out().lines().count(), ok.out());
    }

    @Test
    void badSortKeyIsAUsageErrorInOneLine() {
        Cli.Result r = Cli.run("ps", "--sort=colour");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("inspector: --sort takes one of pid, user, state,"), r.err());
        assertEquals(2, r.err().lines().count(), r.err()); // the error and the 'Try --help' hint
    }
}
