package dev.inspector.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rules of docs/architecture.md, read from the sources themselves (comments stripped), so they cannot drift:
 * one direction of data flow (no package cycle in core), /proc and /sys opened only by core.procfs, JNA only in
 * core.sys, front ends without the readers or the native layer, and nothing in core printing.
 */
class ArchitectureTest {

    private static final Path REPO = repo();
    private static Map<Path, String> core;
    private static Map<Path, String> frontEnd;

    @BeforeAll
    static void read() throws IOException {
        core = sources(REPO.resolve("inspector-core/src/main/java"));
        frontEnd = sources(REPO.resolve("inspector-tui/src/main/java"));
    }

    @Test
    void onlyCoreSysImportsJna() {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<Path, String> e : all().entrySet()) {
            if (e.getValue().contains("com.sun.jna") && !packageOf(e.getValue()).equals("dev.inspector.core.sys")) {
                bad.add(name(e.getKey()));
            }
        }
        assertEquals(List.of(), bad, "files outside core.sys that use JNA");
    }

    @Test
    void frontEndsUseNeitherTheReadersNorTheNativeLayer() {
        // core.procfs.parse holds decoded values the model exposes (PagemapEntry, KPageFlags): allowed; the readers
        // (core.procfs) and JNA (core.sys) are not.
        Pattern forbidden = Pattern.compile("dev\\.inspector\\.core\\.(procfs\\.[A-Z]|sys\\.)");
        List<String> bad = new ArrayList<>();
        for (Map.Entry<Path, String> e : frontEnd.entrySet()) {
            Matcher m = forbidden.matcher(e.getValue());
            if (m.find()) {
                bad.add(name(e.getKey()) + " uses " + m.group());
            }
        }
        assertEquals(List.of(), bad, "front-end files that read /proc or call the native layer themselves");
    }

    @Test
    void onlyProcfsOpensProcAndSysPaths() {
        // A /proc or /sys path made from a literal: Paths.get("/proc..."), Path.of("/sys..."), "/proc/" + pid ...
        Pattern literal = Pattern.compile("(Paths\\.get|Path\\.of|new File|FileChannel\\.open|Files\\.\\w+)\\(\\s*\"/"
                + "(proc|sys)\\b|\"/(proc|sys)/\"\\s*\\+");
        List<String> bad = new ArrayList<>();
        for (Map.Entry<Path, String> e : all().entrySet()) {
            if (packageOf(e.getValue()).equals("dev.inspector.core.procfs")) {
                continue;
            }
            Matcher m = literal.matcher(e.getValue());
            if (m.find()) {
                bad.add(name(e.getKey()) + ": " + m.group());
            }
        }
        assertEquals(List.of(), bad, "files outside core.procfs that open /proc or /sys paths");
    }

    @Test
    void nothingInCorePrints() {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<Path, String> e : core.entrySet()) {
            if (e.getValue().contains("System.out") || e.getValue().contains("System.err")) {
                bad.add(name(e.getKey()));
            }
        }
        assertEquals(List.of(), bad, "core files that write to standard output or error");
    }

    @Test
    void corePackagesFormNoCycle() {
        Map<String, Set<String>> g = graph(core);
        List<List<String>> cycles = stronglyConnected(g).stream().filter(c -> c.size() > 1)
                .collect(Collectors.toList());
        assertEquals(List.of(), cycles, "package cycles in core (dependencies: " + g + ")");
    }

    // ---- reading the sources ----------------------------------------------------------------------------------

    private static Path repo() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("inspector-core"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no repository root above " + Paths.get("").toAbsolutePath());
        }
        return p;
    }

    private static Map<Path, String> all() {
        Map<Path, String> m = new LinkedHashMap<>(core);
        m.putAll(frontEnd);
        return m;
    }

    private static Map<Path, String> sources(Path root) throws IOException {
        Map<Path, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(x -> x.toString().endsWith(".java")).sorted()::iterator) {
                out.put(p, stripComments(Files.readString(p)));
            }
        }
        return out;
    }

    /** The code without comments (strings kept), so documentation naming a path or package does not count. */
    static String stripComments(String src) {
        StringBuilder b = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                b.append(src, i, Math.min(n, j + 1));
                i = j + 1;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    private static String packageOf(String src) {
        Matcher m = Pattern.compile("package ([\\w.]+);").matcher(src);
        return m.find() ? m.group(1) : "";
    }

    private static String name(Path p) {
        return REPO.relativize(p).toString();
    }

    /** Package → the inspector packages its code names (imports and qualified names). */
    private static Map<String, Set<String>> graph(Map<Path, String> files) {
        Pattern ref = Pattern.compile("(dev\\.inspector\\.[a-z.]*[a-z])\\.[A-Z]");
        Map<String, Set<String>> g = new HashMap<>();
        for (String src : files.values()) {
            String pkg = packageOf(src);
            Set<String> to = g.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = ref.matcher(src.replaceAll("package [\\w.]+;", ""));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    to.add(m.group(1));
                }
            }
        }
        return g;
    }

    /** Tarjan's strongly connected components. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> on = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : new TreeSet<>(g.keySet())) {
            if (!index.containsKey(v)) {
                connect(v, g, index, low, stack, on, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> g, Map<String, Integer> index,
                                Map<String, Integer> low, List<String> stack, Set<String> on, List<List<String>> out,
                                int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.add(v);
        on.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!g.containsKey(w)) {
                continue; // another module's package
            }
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, on, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (on.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> c = new ArrayList<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                on.remove(w);
                c.add(w);
            } while (!w.equals(v));
            out.add(c);
        }
    }
}
