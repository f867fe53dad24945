package dev.inspector.cli;

import dev.inspector.core.testing.LiveTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter scraped by a real Prometheus server (Debian's {@code prometheus} package; skipped with a message where
 * it is not installed): a scrape config pointing at the exporter on 127.0.0.1, both on free ports, a temporary data
 * directory, a one-second scrape interval. Prometheus's query API must then give, for native samples stopped at a
 * step, the heap and stack figures {@code inspector maps --json} gives for them, and a step that grows the heap must
 * show as a new value in Prometheus. Label values with a quote, a newline and an escape sequence make the round trip.
 */
@LiveTest
@Tag("prometheus")
@EnabledOnOs(OS.LINUX)
class PrometheusScrapeTest {

    static final Path PROMETHEUS = Paths.get(System.getProperty("inspector.prometheus", "/usr/bin/prometheus"));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** In the test, not in a @BeforeAll, so that surefire reports it skipped with the reason. */
    private static void needsPrometheus() {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is not installed (Debian: apt-get"
                + " install prometheus; .ci/run installs it): the test against a real Prometheus is skipped");
    }

    @Test
    void prometheusSeesWhatMapsSeesAndTheHeapGrowing(@TempDir Path tmp) throws Exception {
        needsPrometheus();
        Path link = tmp.resolve("q\"u\no\u001b[31m");
        Files.createSymbolicLink(link, Paths.get("/bin/sleep"));
        Process odd = new ProcessBuilder(link.toString(), "300").start();
        try (SampleProgram typical = Samples.start("typical", "3");
             SampleProgram grower = Samples.start("malloc_threshold")) {
            typical.awaitStep("ready");
            grower.runTo("malloc_16");
            try (ExporterProcess exporter = ExporterProcess.start("--listen", "127.0.0.1:0", "--interval", "0s",
                    "--pid", Integer.toString(typical.pid()), "--pid", Integer.toString(grower.pid()), "--pid",
                    Long.toString(odd.pid()));
                 Server prometheus = Server.start(tmp, exporter.port())) {
                String t = Integer.toString(typical.pid());
                String g = Integer.toString(grower.pid());

                // two scrapes of the exporter with our series in them
                prometheus.await("count_over_time(inspector_region_size_bytes{pid=\"" + t
                        + "\",kind=\"heap\"}[5m])", v -> v >= 2);
                prometheus.await("up{job=\"inspector\"}", v -> v == 1);

                // the stopped typical: heap, stack and thread stacks as maps --json says now
                Map<String, long[]> maps = kinds(typical.pid());
                for (String kind : new String[] {"heap", "stack", "thread-stack"}) {
                    long[] want = maps.get(kind);
                    String sel = "{pid=\"" + t + "\",kind=\"" + kind + "\"}";
                    assertEquals(want[0], prometheus.value("inspector_region_size_bytes" + sel), kind + " size");
                    assertEquals(want[1], prometheus.value("inspector_region_rss_bytes" + sel), kind + " rss");
                    assertEquals(want[2], prometheus.value("inspector_region_pss_bytes" + sel), kind + " pss");
                    assertEquals(want[3], prometheus.value("inspector_region_swap_bytes" + sel), kind + " swap");
                    assertEquals(want[4], prometheus.value("inspector_region_mappings" + sel), kind + " mappings");
                }
                assertEquals(3, prometheus.value("inspector_region_mappings{pid=\"" + t
                        + "\",kind=\"thread-stack\"}"));

                // the heap grows between two steps of malloc_threshold, and Prometheus records the change
                prometheus.await("count_over_time(inspector_region_size_bytes{pid=\"" + g + "\",kind=\"heap\"}[5m])",
                        v -> v >= 2);
                String heap = "inspector_region_size_bytes{pid=\"" + g + "\",kind=\"heap\"}";
                long before = prometheus.value(heap);
                assertEquals(kinds(grower.pid()).get("heap")[0], before);
                grower.cont();
                grower.runTo("malloc_200000_again"); // malloc(200000) now comes from the heap, which grows
                long after = kinds(grower.pid()).get("heap")[0];
                assertTrue(after > before + 200_000 - 4096, before + " -> " + after);
                prometheus.await(heap, v -> v == after);
                prometheus.await("changes(" + heap + "[5m])", v -> v >= 1);

                // a name with a quote, a newline and an escape sequence, escaped as the inspector shows it
                JsonNode info = prometheus.query("inspector_process_info{pid=\"" + odd.pid() + "\"}");
                assertEquals("q\"u\\no\\x1b[31m", info.get(0).get("metric").get("comm").asText(), info.toString());
                assertEquals(System.getProperty("user.name"), info.get(0).get("metric").get("user").asText());
            }
        } finally {
            odd.destroyForcibly();
            odd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Per kind label: size, rss, pss, swap and mapping count summed over the regions of {@code maps --json}. */
    private static Map<String, long[]> kinds(int pid) throws IOException {
        Cli.Result r = Cli.run("maps", "--json", Integer.toString(pid));
        assertEquals(0, r.code(), r.err());
        Map<String, long[]> out = new HashMap<>();
        for (JsonNode region : JSON.readTree(r.out()).get("regions")) {
            String kind = region.get("kind").asText().toLowerCase(Locale.ROOT).replace('_', '-');
            long[] k = out.computeIfAbsent(kind, x -> new long[5]);
            JsonNode smaps = region.get("smaps").get("bytes");
            k[0] += region.get("mapping").get("size").asLong();
            k[1] += smaps.get("Rss").asLong();
            k[2] += smaps.get("Pss").asLong();
            k[3] += smaps.get("Swap").asLong();
            k[4]++;
        }
        return out;
    }

    /** A Prometheus server scraping one target every second, on a free port of 127.0.0.1, data in a temp dir. */
    private static final class Server implements AutoCloseable {
        private final Process process;
        private final String base;
        private final Path log;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private Server(Process process, String base, Path log) {
            this.process = process;
            this.base = base;
            this.log = log;
        }

        static Server start(Path dir, int targetPort) throws IOException {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort(); // freed again for Prometheus; a race with another program is unlikely
            }
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "scrape_configs:",
                    "  - job_name: inspector",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + targetPort + "']",
                    ""));
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Server(p, "http://127.0.0.1:" + port, log);
        }

        /** The result array of an instant query (empty when nothing matches yet). */
        JsonNode query(String promql) throws IOException, InterruptedException {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r;
            try {
                r = http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                return JSON.createArrayNode(); // still starting
            }
            if (r.statusCode() == 503) {
                return JSON.createArrayNode(); // "Service Unavailable" until its storage is open
            }
            JsonNode body = JSON.readTree(r.body());
            assertEquals("success", body.path("status").asText(), promql + ": " + r.body());
            return body.get("data").get("result");
        }

        /** The value of a query that selects exactly one series. */
        long value(String promql) throws IOException, InterruptedException {
            JsonNode res = query(promql);
            assertEquals(1, res.size(), promql + ": " + res);
            return Math.round(Double.parseDouble(res.get(0).get("value").get(1).asText()));
        }

        /** Polls until the query gives one series whose value passes {@code ok}; fails after 60 s with the last. */
        void await(String promql, Predicate<Double> ok) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode last = null;
            while (System.nanoTime() < deadline) {
                last = query(promql);
                if (last.size() == 1 && ok.test(Double.parseDouble(last.get(0).get("value").get(1).asText()))) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("no answer in time to " + promql + "; last: " + last + "; log:\n"
                    + Files.readString(log));
        }

        @Override
        public void close() {
            process.destroy();
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
}
