package dev.inspector.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code inspector exporter} running in a child JVM (as root, or as nobody through {@link Nobody}), as a user starts
 * it: the command blocks until a signal, so it cannot run inside the test's JVM. Waits for the line announcing the
 * port (the tests ask for port 0), fetches /metrics, and ends the child with SIGTERM on close.
 */
final class ExporterProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^ ]+/metrics)");

    private final Process process;
    private final List<String> stderr = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile String url;

    private ExporterProcess(Process process) {
        this.process = process;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    stderr.add(l);
                    Matcher m = LISTENING.matcher(l);
                    if (m.find() && url == null) {
                        url = m.group(1);
                    }
                }
            } catch (IOException e) {
                stderr.add("[reading stderr failed: " + e + "]");
            }
        }, "exporter-stderr");
        t.setDaemon(true);
        t.start();
    }

    /** Starts {@code inspector exporter args...} as root (this JVM's user). */
    static ExporterProcess start(String... args) throws IOException {
        return new ExporterProcess(new ProcessBuilder(command(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** Starts it as uid/gid 65534. */
    static ExporterProcess startAsNobody(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("exporter"));
        all.addAll(List.of(args));
        return new ExporterProcess(Nobody.startCli(all.toArray(new String[0])));
    }

    static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "exporter"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Waits for the announced URL; fails with the child's stderr when it exits or does not announce in time. */
    String awaitUrl() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (url == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                Thread.sleep(200); // let the reader take the last lines
                throw new AssertionError("the exporter did not announce its address"
                        + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")") + "; stderr:\n"
                        + String.join("\n", stderr()));
            }
            Thread.sleep(50);
        }
        return url;
    }

    int port() throws InterruptedException {
        String u = awaitUrl();
        return URI.create(u).getPort();
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** GET /metrics with this Accept header (null: none, the Prometheus text format). */
    HttpResponse<byte[]> fetch(String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(awaitUrl())).timeout(Duration.ofSeconds(60));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String metrics() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = fetch(null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: HTTP " + r.statusCode());
        }
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The value of the one series whose line starts with {@code selector} (name and labels as written), or null. */
    static Double value(String metrics, String selector) {
        Double found = null;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(selector + " ")) {
                if (found != null) {
                    throw new AssertionError("two series " + selector);
                }
                found = Double.parseDouble(line.substring(selector.length() + 1).trim());
            }
        }
        return found;
    }

    Process process() {
        return process;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the exporter's shutdown hook closes the server
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
