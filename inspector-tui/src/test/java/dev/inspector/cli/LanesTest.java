package dev.inspector.cli;

import dev.inspector.core.testing.Lanes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every test class of this module is in exactly one lane (see core's Lanes): live ones carry @LiveTest. */
class LanesTest {

    @Test
    void everyClassThatTouchesTheLiveSystemIsTaggedLive() {
        List<String> untagged = Lanes.untaggedLiveClasses(Lanes.repo(), "inspector-tui");
        assertTrue(untagged.isEmpty(), "tag these @LiveTest (dev.inspector.core.testing.LiveTest):\n"
                + String.join("\n", untagged));
    }
}
