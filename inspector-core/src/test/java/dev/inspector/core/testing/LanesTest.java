package dev.inspector.core.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every test class of this module is in exactly one lane: one that touches the live system is tagged live. */
class LanesTest {

    @Test
    void everyClassThatTouchesTheLiveSystemIsTaggedLive() {
        List<String> untagged = Lanes.untaggedLiveClasses(Lanes.repo(), "inspector-core");
        assertTrue(untagged.isEmpty(), "tag these @LiveTest (dev.inspector.core.testing.LiveTest):\n"
                + String.join("\n", untagged));
    }

    private static Lanes.Source source(String pkg, String name, String code) {
        return new Lanes.Source("m", Path.of(name + ".java"), pkg, name, Lanes.stripComments(code));
    }

    /** The check can fail: direct uses, uses through a helper (by package or import), and comments that are no use. */
    @Test
    void theCheckSeesDirectUsesHelpersAndIgnoresComments() {
        Lanes.Source helper = source("a", "Spawner", "package a; class Spawner { static void go() { new Process"
                + "Builder(\"x\").start(); } }");
        Lanes.Source samePackage = source("a", "UsesIt", "package a; class UsesIt { @Test void t() { Spawner.go(); } }");
        Lanes.Source imported = source("b", "ImportsIt", "package b; import a.Spawner; class ImportsIt {"
                + " @Test void t() { Spawner.go(); } }");
        Lanes.Source otherSpawner = source("b", "Other", "package b; class Other { @Test void t() { Spawner.go(); } }");
        Lanes.Source comment = source("a", "Commented", "package a; class Commented { @Test void t() {"
                + " /* Paths.get(\"/proc/self/maps\") */ } // ProcFs.system()\n }");
        Lanes.Source path = source("c", "ReadsProc", "package c; class ReadsProc { @Test void t() {"
                + " Files.readString(Path.of(\"/proc/self/status\")); } }");
        Lanes.Source text = source("c", "ParsesText", "package c; class ParsesText { @Test void t() {"
                + " parse(\"/proc/1/maps\"); } }");
        Map<Lanes.Source, String> live = Lanes.liveSources(List.of(helper, samePackage, imported, otherSpawner,
                comment, path, text));
        assertEquals("starts a process", live.get(helper));
        assertTrue(live.get(samePackage).startsWith("uses Spawner"), live.toString());
        assertTrue(live.get(imported).startsWith("uses Spawner"), live.toString());
        assertEquals("opens a /proc or /sys path", live.get(path));
        assertEquals(Set.of(helper, samePackage, imported, path), live.keySet(),
                "another package's Spawner, a comment and a file name in a string are not live");
    }
}
