package dev.inspector.cli;

import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick start-up path must fill every command exactly as picocli does, and hand picocli every command line it
 * cannot reproduce. The argument vectors are generated from the table itself, so a new option is covered without
 * touching this test.
 */
@LiveTest
class QuickArgsTest {

    @Test
    void theTableInTheBuildIsTheOneThePicocliModelGivesNow() {
        assertNotNull(QuickArgs.table(), "the build generates " + QuickArgs.TABLE_CLASS + " (exec-maven-plugin)");
        assertEquals(QuickArgsIndex.table(), QuickArgs.table());
    }

    @Test
    void theGeneratedSourceCompilesToTheTableVerbatim(@TempDir Path dir) throws Exception {
        String tricky = QuickArgsIndex.table() + "# a \"quoted\" \\ back\tslash, caf\u00e9, \u0007 bell\n";
        Path src = dir.resolve("dev/inspector/cli/QuickArgsTable.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, QuickArgsIndex.javaSource(tricky), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), src.toString()));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Field table = loader.loadClass(QuickArgs.TABLE_CLASS).getDeclaredField("TABLE");
            table.setAccessible(true);
            assertEquals(tricky, table.get(null));
        }
    }

    @Test
    void everyPlainCommandLineIsFilledExactlyAsPicocliFillsIt() throws Exception {
        int compared = 0;
        for (String name : InspectorCommand.SUBCOMMANDS.keySet()) {
            QuickArgs.Entry entry = QuickArgs.entry(name);
            if (entry == null) {
                continue;
            }
            for (List<String> args : plainVectors(entry)) {
                String[] argv = args.toArray(new String[0]);
                BaseCommand quick = QuickArgs.parse(argv);
                assertNotNull(quick, "the quick path declined a plain command line: " + args);
                CommandLine cl = new CommandLine(InspectorCommand.SUBCOMMANDS.get(name));
                cl.parseArgs(args.subList(1, args.size()).toArray(new String[0]));
                assertSameFields(cl.getCommand(), quick, args.toString());
                compared++;
            }
        }
        // Every leaf command of today is in the table: maps, ps, pages, translate, snapshot, diff, watch, lab.
        assertTrue(compared > 60, "compared only " + compared + " command lines");
    }

    @Test
    void commandsWithSubcommandsAreLeftToPicocli() {
        assertNull(QuickArgs.entry("bench"));
        assertNull(QuickArgs.parse(new String[] {"bench", "maps"}));
        assertNull(QuickArgs.parse(new String[] {"help", "maps"}));
    }

    @Test
    void whatOnlyPicocliCanSayGoesToPicocli() {
        String[][] declined = {
            {"maps", "--help", "self"}, {"maps", "-h"}, {"maps", "-V"}, {"--version"}, {"--debug", "maps", "self"},
            {"maps", "@args.txt"}, {"maps", "--", "self"}, {"maps", "--nope", "self"},
            {"maps", "-kheap", "self"}, {"maps", "--json=true", "self"},
            {"maps", "self", "--kind"}, {"maps", "--kind", "heap,,stack", "self"}, {"maps", "--kind", "\"a,b\"", "self"},
            {"maps", "--perms", "--json", "self"}, {"maps", "--json", "--json", "self"},
            {"maps", "--perms", "r", "--perms", "w", "self"}, {"maps", "-1"},
            {"ps", "--limit", "010"}, {"ps", "--limit", "+3"}, {"ps", "--limit", "0x10"}, {"ps", "--limit", "99999999999"},
            {"lab", "--pages", "-x"}, {"diff"}, {"translate", "self"}, {"nosuchcommand"},
        };
        for (String[] argv : declined) {
            assertNull(QuickArgs.parse(argv), "should be left to picocli: " + List.of(argv));
        }
    }

    @Test
    void declinedCommandLinesStillWorkThroughPicocli() {
        Cli.Result attached = Cli.run("maps", "-kheap", "--no-smaps", "self");
        assertEquals(0, attached.code(), attached.err());
        assertTrue(attached.out().contains("[heap]") || attached.out().contains("total of shown: 0"), attached.out());
        Cli.Result bad = Cli.run("maps", "not-a-pid");
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().startsWith("inspector: "), bad.err());
        assertTrue(bad.err().contains("Try 'inspector maps --help'"), bad.err());
    }

    @Test
    void aUsageErrorFoundWhileRunningReadsTheSameOnBothPaths() {
        Cli.Result quick = Cli.run("maps", "--kind", "bogus", "self");
        Cli.Result picocli = Cli.run("maps", "-kbogus", "self");
        assertEquals(ExitCodes.USAGE, quick.code());
        assertEquals(quick.code(), picocli.code());
        assertEquals(quick.err(), picocli.err());
        assertTrue(quick.err().startsWith("inspector: unknown kind 'bogus'"), quick.err());
        assertTrue(quick.err().endsWith("Try 'inspector maps --help' for more information." + System.lineSeparator()),
                quick.err());
    }

    @Test
    void aFailureReadsTheSameOnBothPathsWithAStackTraceOnlyOnRequest() {
        // PID 2^22 + 1 is above the kernel's pid_max limit, so it never exists.
        String pid = Integer.toString((1 << 22) + 1);
        Cli.Result quick = Cli.run("maps", pid);
        Cli.Result picocli = Cli.run("maps", "-kheap", pid);
        assertEquals(ExitCodes.NO_SUCH_PROCESS, quick.code());
        assertEquals(quick.code(), picocli.code());
        assertEquals(quick.err(), picocli.err());
        assertFalse(quick.err().contains("\tat "), quick.err());
        Cli.Result debug = Cli.run("maps", "--debug", pid);
        assertEquals(ExitCodes.NO_SUCH_PROCESS, debug.code());
        assertTrue(debug.err().contains("\tat "), "--debug shows the stack trace: " + debug.err());
    }

    @Test
    void decimalsAreOnlyTheFormsEveryConverterReadsAlike() {
        for (String ok : new String[] {"0", "7", "-1", "4096", "-2147483648"}) {
            assertTrue(QuickArgs.isDecimal(ok), ok);
        }
        for (String no : new String[] {"", "-", "-0", "00", "010", "+3", "0x10", "1_000", "1e3", " 1"}) {
            assertFalse(QuickArgs.isDecimal(no), no);
        }
    }

    /** Command lines in the plain forms, built from the table: each option alone in each spelling, then all. */
    private static List<List<String>> plainVectors(QuickArgs.Entry entry) {
        List<String> positionals = new ArrayList<>();
        for (QuickArgs.Param p : entry.params()) {
            if (p.type().equals("List<String>")) {
                for (int i = 0; i < Math.max(1, Math.min(p.maxArity(), 2)); i++) {
                    positionals.add("input-" + i + ".json");
                }
            } else if (p.converter().endsWith("PidConverter")) {
                positionals.add("self");
            } else {
                positionals.add("0x1000");
            }
        }
        List<List<String>> out = new ArrayList<>();
        out.add(concat(List.of(entry.name()), positionals));
        List<String> all = new ArrayList<>(List.of(entry.name()));
        for (QuickArgs.Opt o : entry.options()) {
            for (String spelling : o.names()) {
                List<String> opt = o.arity() == 0 ? List.of(spelling) : List.of(spelling, sample(o.type()));
                out.add(concat(concat(List.of(entry.name()), opt), positionals));
                out.add(concat(concat(List.of(entry.name()), positionals), opt));
                if (o.arity() == 1 && spelling.startsWith("--")) {
                    out.add(concat(List.of(entry.name(), spelling + "=" + sample(o.type())), positionals));
                }
            }
            all.add(o.names()[0]);
            if (o.arity() == 1) {
                all.add(sample(o.type()));
            }
        }
        out.add(concat(all, positionals));
        return out;
    }

    private static String sample(String type) {
        switch (type) {
            case "int":
            case "Integer":
            case "long":
            case "Long":
                return "-1";
            case "List<String>":
                return "heap,stack";
            default:
                return "some value";
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Every field the two parsers may set, compared; mixin objects compared field by field. */
    private static void assertSameFields(Object expected, Object actual, String what) throws Exception {
        assertEquals(expected.getClass(), actual.getClass(), what);
        for (Class<?> c = expected.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("spec")
                        || f.getName().startsWith("quick")) {
                    continue;
                }
                f.setAccessible(true);
                Object e = f.get(expected);
                Object a = f.get(actual);
                if (e != null && e.getClass().getPackageName().equals("dev.inspector.cli")
                        && !(e instanceof Map) && !(e instanceof List)) {
                    assertNotNull(a, what + ": " + f);
                    assertSameFields(e, a, what + " " + f.getName());
                } else {
                    assertTrue(Objects.equals(e, a), what + ": field " + c.getSimpleName() + "." + f.getName()
                            + " is " + a + " on the quick path, " + e + " through picocli");
                }
            }
        }
    }
}
