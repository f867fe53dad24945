package dev.inspector.cli.bench;

import dev.inspector.cli.BaseCommand;
import dev.inspector.cli.ExitCodes;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.bench.BenchProbes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The benchmarks of reading an address space (issue "Read any process's address space"), all in one run so the
 * ratios compare like with like on a noisy machine.
 */
@Command(name = "maps", mixinStandardHelpOptions = true,
        header = "Address spaces: parsing, 'inspector maps' vs pmap -X, start-up.",
        description = {"Benchmark reading address spaces: (1) in-process, read+parse of /proc/PID/maps against the"
            + " raw read of its bytes, on a process with many mappings; (2) wall time of 'inspector maps PID'"
            + " against 'pmap -X PID' on that process; (3) 'inspector maps PID' on a typical process against the"
            + " start-up of a hello-world jar.",
            "Starts the native samples many_vmas and typical itself. Prints medians of interleaved rounds and"
            + " their ratios."})
public final class BenchMapsCommand extends BaseCommand {

    @Option(names = "--mappings", paramLabel = "N", defaultValue = "60000", description = "Mappings of the big process (default ${DEFAULT-VALUE}).")
    int mappings;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "30", description = "In-process rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--cli-rounds", paramLabel = "N", defaultValue = "10", description = "Whole-process rounds (default ${DEFAULT-VALUE}).")
    int cliRounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Warm-up rounds (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--samples", paramLabel = "DIR", description = "Directory of the built native samples.")
    Path samplesDir;

    @Override
    protected int execute() throws Exception {
        SampleDirectory samples = SampleDirectory.find(samplesDir).orElseThrow(() -> usage(
                "native samples not found: build them with 'mvn -B -q -DskipTests package' or pass --samples DIR"));
        option(() -> BenchEnv.program(samples, "many_vmas"));
        option(() -> BenchEnv.program(samples, "typical"));
        Path launcher = BenchEnv.launcher();
        BenchProbes probes = new BenchProbes(host());
        out().println("# inspector bench maps — " + BenchHost.describe(probes));
        try (SampleProgram big = samples.start("many_vmas", Integer.toString(mappings))) {
            SampleStep ready = big.awaitStep("ready", Duration.ofMinutes(2));
            int pid = big.pid();
            BenchProbes.MapsFile maps = probes.mapsFile(pid);
            int len = maps.readRaw();
            int parsed = maps.readAndParse();
            out().printf("%n## 1. maps of a process with %d mappings (many_vmas %s, pid %d): %d bytes of text%n",
                    parsed, ready.value("bulk"), pid, len);
            Timing.Samples[] s = Timing.interleaved(warmup, rounds,
                    new String[] {"raw read of /proc/PID/maps", "read + parse (MapsParser)"},
                    maps::readRaw,
                    () -> {
                        if (maps.readAndParse() != parsed) {
                            throw new IllegalStateException("mapping count changed during the benchmark");
                        }
                    });
            print(s);
            out().printf("parse overhead: read+parse / raw read = %s (goal: at most 1.30)%n",
                    Timing.ratio(s[1].median(), s[0].median()));

            out().printf("%n## 2. whole process: inspector maps %d (with smaps) vs pmap -X %d%n", pid, pid);
            Timing.Samples[] c = Timing.interleaved(1, cliRounds,
                    new String[] {"inspector maps PID", "pmap -X PID"},
                    () -> run(List.of(launcher.toString(), "maps", Integer.toString(pid))),
                    () -> run(List.of("pmap", "-X", Integer.toString(pid))));
            print(c);
            out().printf("pmap -X / inspector maps = %s (goal: at least 2.00)%n",
                    Timing.ratio(c[1].median(), c[0].median()));
        }

        try (SampleProgram typical = samples.start("typical", "3")) {
            typical.awaitStep("ready", Duration.ofSeconds(30));
            int count = probes.maps(typical.pid()).size();
            Path hello = helloJar();
            try {
                typicalSection(typical, count, hello, launcher);
            } finally {
                deleteTree(hello.getParent()); // the compiled references: nothing of a run stays in /tmp
            }
        }
        return ExitCodes.OK;
    }

    private void typicalSection(SampleProgram typical, int count, Path hello, Path launcher) throws Exception {
        int pid = typical.pid();
        Path picoHello = picocliHello(hello.getParent());
        String jar = Path.of(BenchMapsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        out().printf("%n## 3. typical process (%d mappings, pid %d): inspector maps vs JVM start-up%n", count, pid);
        Timing.Samples[] t = Timing.interleaved(1, cliRounds,
                new String[] {"inspector maps PID", "java -jar hello.jar", "java <launcher opts> -jar hello.jar",
                    "picocli hello (one option)"},
                () -> run(List.of(launcher.toString(), "maps", Integer.toString(pid))),
                () -> run(List.of(javaBin(), "-jar", hello.toString())),
                () -> run(List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                        "-jar", hello.toString())),
                () -> run(List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                        "-cp", jar + ":" + picoHello, "PicoHello", "hi")));
        print(t);
        out().printf("inspector maps / java -jar hello.jar = %s (goal: at most 3.00)%n",
                Timing.ratio(t[0].median(), t[1].median()));
        out().printf("picocli hello / java -jar hello.jar = %s (what parsing through picocli's annotation model"
                + " alone costs; plain command lines skip it, see docs/performance.md)%n",
                Timing.ratio(t[3].median(), t[1].median()));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void print(Timing.Samples[] s) {
        for (Timing.Samples x : s) {
            out().println(Timing.describe(x));
        }
        out().flush();
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("INSPECTOR_NO_BUILD", "1");
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A one-option picocli command compiled now against the inspector's own jar: what picocli alone costs at start-up
     * (its classes are Java 5 class files, which class-data sharing cannot archive).
     */
    static Path picocliHello(Path dir) throws Exception {
        Path src = dir.resolve("PicoHello.java");
        Files.writeString(src, "import picocli.CommandLine;\n"
                + "@CommandLine.Command(name = \"hello\", mixinStandardHelpOptions = true)\n"
                + "public class PicoHello implements Runnable {\n"
                + "  @CommandLine.Parameters(index = \"0\") String who;\n"
                + "  public void run() { System.out.println(\"hello \" + who); }\n"
                + "  public static void main(String[] a) { System.exit(new CommandLine(new PicoHello()).execute(a)); }\n"
                + "}\n");
        String jar = Path.of(BenchMapsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, "-cp", jar, "-d", dir.toString(), src.toString()) != 0) {
            throw new IllegalStateException("cannot compile the picocli reference (needs a JDK)");
        }
        return dir;
    }

    /** A hello-world jar compiled now into a new temporary directory (the caller deletes it): bare JVM start-up. */
    static Path helloJar() throws IOException {
        Path dir = Files.createTempDirectory("inspector-bench-hello");
        Path src = dir.resolve("Hello.java");
        Files.writeString(src, "public class Hello { public static void main(String[] a) {"
                + " System.out.println(\"hello\"); } }\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, "-d", dir.toString(), src.toString()) != 0) {
            throw new IllegalStateException("cannot compile the hello-world reference (needs a JDK)");
        }
        Path jar = dir.resolve("hello.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, mf)) {
            j.putNextEntry(new JarEntry("Hello.class"));
            j.write(Files.readAllBytes(dir.resolve("Hello.class")));
            j.closeEntry();
        }
        return jar;
    }

}
