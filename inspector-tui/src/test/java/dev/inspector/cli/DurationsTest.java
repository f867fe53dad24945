package dev.inspector.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void acceptsAWholeNumberAndAUnit() {
        assertEquals(Duration.ofMillis(500), Durations.parse("--interval", "500ms"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("--after", "2s"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("--after", "1m"));
        assertEquals(Duration.ofHours(3), Durations.parse("--after", "3h"));
        // Option values take any case in every command (issue 12: --sort=RSS and --color=NEVER alike).
        assertEquals(Duration.ofSeconds(2), Durations.parse("--after", "2S"));
        assertEquals(Duration.ofMillis(500), Durations.parse("--interval", "500MS"));
    }

    @Test
    void rejectsEverythingElseNamingTheOption() {
        for (String bad : new String[] {"", "5", "ms", "1.5s", " 2s", "2 s", "-1s", "2sec", "1d", "0ms",
            "9999999999999s", "8d", "169h"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Durations.parse("--after", bad), "'" + bad + "'");
            assertTrue(e.getMessage().startsWith("--after "), e.getMessage());
        }
    }
}
