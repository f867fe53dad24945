package dev.inspector.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The check that keeps the two test lanes honest, read from the test sources themselves (comments stripped): a test
 * class that touches the live system must carry {@link LiveTest}, so the fast lane never reads the running kernel,
 * starts a process or calls JNA. Touching the live system means using one of the APIs in {@link #DIRECT} (the real
 * /proc or /sys, a process, JNA, this JVM's own pid), or a test helper that does (found the same way, to a fixpoint:
 * {@code Samples}, {@code Live}, {@code RealSnapshots}, the residency {@code Lab}, the CLI's {@code Cli} ...).
 */
public final class Lanes {

    /** What makes a source live by itself, with the reason reported. */
    static final Map<String, Pattern> DIRECT = new LinkedHashMap<>();

    static {
        DIRECT.put("starts a process", Pattern.compile("\\bProcess" + "Builder\\b|Runtime\\.getRuntime\\(\\)\\.exec"));
        DIRECT.put("runs or builds a native sample", Pattern.compile("\\bSample" + "(Program|Directory)\\b"));
        DIRECT.put("reads the live /proc", Pattern.compile("\\bProcFs\\.system\\(|\\bHostFacts\\.system\\(|\\bHost"
                + "\\.system\\("));
        DIRECT.put("opens a /proc or /sys path", Pattern.compile(
                "(\\bPath\\.of|\\bPaths\\.get|\\bnew File|\\bFiles\\.\\w+)\\(\\s*\"/(proc|sys)\\b"));
        DIRECT.put("calls the kernel through JNA", Pattern.compile("\\bSys\\.\\w|import com\\.sun\\.jna\\."));
        DIRECT.put("uses this JVM's own pid", Pattern.compile("\\bProcessHandle\\.current\\(\\)|\\bProcFs\\.selfPid\\("));
    }

    private static final Pattern TEST_METHOD = Pattern.compile(
            "@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b");
    private static final Pattern TAGGED = Pattern.compile("@LiveTest\\b|@Tag\\(\\s*(\"live\"|LiveTest\\.TAG)\\s*\\)");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private Lanes() {
    }

    /** The repository root: the folder holding every module (found above the fixture trees). */
    public static Path repo() {
        return Fixtures.home().resolve("../../../../..").normalize();
    }

    /** One test source file: module, path, package, simple name, text without comments. */
    record Source(String module, Path path, String pkg, String name, String code) {
        boolean isTestClass() {
            return TEST_METHOD.matcher(code).find();
        }
    }

    /**
     * The test classes of {@code module} that touch the live system without the live tag, each with why; helpers are
     * looked for in every module's {@code src/test/java} under {@code repo} (the front end's tests use core's).
     */
    public static List<String> untaggedLiveClasses(Path repo, String module) {
        List<Source> all = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            for (Path m : modules.sorted().toList()) {
                Path root = m.resolve("src/test/java");
                if (Files.isDirectory(root)) {
                    all.addAll(read(m.getFileName().toString(), root));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Source, String> live = liveSources(all);
        List<String> out = new ArrayList<>();
        for (Source s : all) {
            if (s.module().equals(module) && s.isTestClass() && live.containsKey(s)
                    && !TAGGED.matcher(s.code()).find()) {
                out.add(s.path() + ": " + live.get(s) + ", but is not @LiveTest");
            }
        }
        return out;
    }

    /** Every source that touches the live system, directly or through a helper, with the first reason found. */
    static Map<Source, String> liveSources(List<Source> all) {
        Map<Source, String> live = new LinkedHashMap<>();
        for (Source s : all) {
            for (Map.Entry<String, Pattern> e : DIRECT.entrySet()) {
                if (e.getValue().matcher(s.code()).find()) {
                    live.put(s, e.getKey());
                    break;
                }
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Source helper : all) {
                if (helper.isTestClass() || !live.containsKey(helper)) {
                    continue;
                }
                for (Source s : all) {
                    if (!live.containsKey(s) && s != helper && uses(s, helper)) {
                        live.put(s, "uses " + helper.name() + " (" + live.get(helper) + ")");
                        grew = true;
                    }
                }
            }
        }
        return live;
    }

    /** True when {@code s} refers to the class {@code helper}: by simple name in its package, else by import. */
    static boolean uses(Source s, Source helper) {
        String qualified = helper.pkg() + "." + helper.name();
        if (s.code().contains(qualified)) {
            return true;
        }
        return s.pkg().equals(helper.pkg())
                && Pattern.compile("\\b" + helper.name() + "\\s*(\\.|::|\\()|\\bnew\\s+" + helper.name() + "\\b")
                .matcher(s.code()).find();
    }

    private static List<Source> read(String module, Path root) throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".java", "");
                if (name.equals("Lanes") || name.equals("LanesTest")) {
                    continue; // the check and its own test: their patterns and examples are not uses
                }
                String code = stripComments(Files.readString(p));
                Matcher pkg = PACKAGE.matcher(code);
                out.add(new Source(module, repoRelative(module, root, p), pkg.find() ? pkg.group(1) : "", name, code));
            }
        }
        return out;
    }

    private static Path repoRelative(String module, Path root, Path file) {
        return Path.of(module, "src/test/java").resolve(root.relativize(file));
    }

    /** Java source without its comments; string literals and text blocks are kept (a "/proc" path is evidence). */
    static String stripComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append(src, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                out.append(src, i, j);
                i = j;
            } else if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
