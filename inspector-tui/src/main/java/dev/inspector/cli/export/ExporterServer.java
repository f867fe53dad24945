package dev.inspector.cli.export;

import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.export.Collection;
import dev.inspector.core.export.ProcessExporter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The HTTP endpoint: the Prometheus client's own server ({@code /metrics}, plus its landing page and
 * {@code /-/healthy}) over a registry holding the exporter. A few worker threads: scrapes arriving together wait for
 * one collection anyway, and a slow reader then holds one thread, not the endpoint.
 */
public final class ExporterServer implements AutoCloseable {

    static final int THREADS = 4;

    private final HTTPServer server;

    private ExporterServer(HTTPServer server) {
        this.server = server;
    }

    /**
     * Binds and starts serving. A bind failure (port in use, an address not of this machine, a privileged port) is
     * {@link NativeCallFailed} naming bind, the errno and the address.
     */
    public static ExporterServer start(Listen listen, ProcessExporter exporter, Consumer<Collection> onCollection)
            throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        new PrometheusBridge(exporter, registry, onCollection);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "exporter-http-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        });
        try {
            return new ExporterServer(HTTPServer.builder().inetAddress(listen.address()).port(listen.port())
                    .registry(registry).executorService(pool).buildAndStart());
        } catch (BindException e) {
            pool.shutdownNow();
            throw bindFailed(e, listen);
        } catch (IOException | RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    /** The port bound (the kernel's choice for port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Java gives bind's errno only as strerror text: name it back, so the message says EADDRINUSE like others. */
    static NativeCallFailed bindFailed(BindException e, Listen listen) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String where = listen.host() + ":" + listen.port();
        if (m.contains("Address already in use")) {
            return new NativeCallFailed("bind", 98, "EADDRINUSE", where + ": another program listens there; choose"
                    + " another port with --listen");
        }
        if (m.contains("Cannot assign requested address")) {
            return new NativeCallFailed("bind", 99, "EADDRNOTAVAIL", where + ": not an address of this machine");
        }
        if (m.contains("Permission denied")) {
            return new NativeCallFailed("bind", 13, "EACCES", where + ": ports below 1024 need root or"
                    + " CAP_NET_BIND_SERVICE");
        }
        return new NativeCallFailed("bind", -1, m.isEmpty() ? "failed" : m, where);
    }
}
