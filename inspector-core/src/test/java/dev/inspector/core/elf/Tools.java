package dev.inspector.core.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Test helpers: run a host tool (gcc, readelf) when it exists, so tests can compare against it or skip cleanly. */
public final class Tools {

    private Tools() {
    }

    public static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command; returns its stdout, or empty when it failed (the failure is printed for the test log). */
    public static Optional<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return Optional.empty();
        }
        if (p.exitValue() != 0) {
            System.err.println(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
                    + new String(err, StandardCharsets.UTF_8));
            return Optional.empty();
        }
        return Optional.of(new String(out, StandardCharsets.UTF_8));
    }

    /** Compiles {@code source} with gcc into {@code dir/name}; empty when gcc is missing or fails. */
    public static Optional<Path> gcc(Path dir, String name, String source, String... flags)
            throws IOException, InterruptedException {
        if (!has("gcc")) {
            return Optional.empty();
        }
        Path src = dir.resolve(name + ".c");
        Files.writeString(src, source);
        Path bin = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O0", "-g0", "-o", bin.toString(), src.toString()));
        cmd.addAll(List.of(flags));
        return run(cmd.toArray(String[]::new)).map(out -> bin);
    }
}
