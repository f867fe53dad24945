package dev.inspector.cli;

import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.analysis.Inspector;
import dev.inspector.core.json.AtomicFile;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.pages.PagemapResidencySource;
import dev.inspector.core.pages.ResidencyReport;
import dev.inspector.core.pages.ResidencyService;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.sys.KernelFeatures;
import dev.inspector.present.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Write one JSON document holding everything the inspector knows about a process at one instant:"
            + " the host (kernel, page size, paging depth, ASLR and THP settings, which kernel features were usable),"
            + " the process, every mapping with its kind, ELF sections, smaps figures and page residency, the threads"
            + " with their stacks, the ASLR bases and the kernel-half layout.",
            "The format is described in docs/snapshots.md. A file is written atomically: an interrupted or failed"
                + " snapshot leaves no partial file and an existing file untouched."})
public final class SnapshotCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class,
            description = "Process id, or 'self' for the inspector itself.")
    int pid;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
            description = "Write to FILE (atomically) instead of standard output ('-').")
    String output;

    @Option(names = "--pages",
            description = "Also record every page's state, run-length encoded (a 64 GiB mapping stays small).")
    boolean pages;

    @Option(names = "--pfn",
            description = "Also record page frame numbers in the page runs (implies --pages; needs CAP_SYS_ADMIN).")
    boolean pfn;

    @Override
    protected int execute() throws Exception {
        dev.inspector.core.Trace.mark("snapshot command: parsed");
        Taker taker = Taker.system();
        dev.inspector.core.Trace.mark("snapshot command: kernel-feature probe started");
        if (pfn && !taker.features().pfnsVisible().available()) {
            throw new UnsupportedFeature("--pfn needs CAP_SYS_ADMIN: " + taker.features().pfnsVisible().reason());
        }
        Snapshot s = taker.take(pid, pages || pfn, pfn);
        if (AtomicFile.STDOUT.equals(output)) {
            SnapshotJson.write(s, out());
            return ExitCodes.OK;
        }
        dev.inspector.core.Trace.mark("snapshot command: taken");
        SnapshotJson.write(s, output);
        dev.inspector.core.Trace.mark("snapshot command: written");
        err().println("inspector: wrote " + output + ": " + s.regions().size() + " mappings, " + s.threads().size()
                + (s.threads().size() == 1 ? " thread, " : " threads, ") + Format.size(size(output)) + " (residency: " + taker.residencyPath() + ")");
        return ExitCodes.OK;
    }

    private static long size(String file) throws IOException {
        return Files.size(Paths.get(file));
    }

    /**
     * Takes full snapshots (smaps, threads, kernel layout, residency) the way snapshot, diff --after and watch all
     * do: host facts with the probed kernel features, residency through PAGEMAP_SCAN or pagemap reads.
     */
    static final class Taker {
        /** What the kernel-feature probe yields: the features, the host facts that name them, and residency. */
        private record Probed(KernelFeatures features, HostInfo host, PagemapResidencySource residency) {
        }

        private final FutureTask<Probed> probe;
        final Inspector inspector;

        private Taker(FutureTask<Probed> probe, Inspector inspector) {
            this.probe = probe;
            this.inspector = inspector;
        }

        /**
         * Starts the kernel-feature probe (loading the native layer, ~50-70 ms on a cold JVM) on a second thread, so
         * that it runs while the first snapshot reads smaps; the snapshot waits for it only when it needs the host
         * facts, after the read.
         */
        static Taker system() {
            ProcFs proc = ProcFs.system();
            FutureTask<Probed> probe = new FutureTask<>(() -> {
                KernelFeatures f = KernelFeatures.detect();
                HostInfo host = new HostFacts(proc).read(f.pagemapScan().available(), f.procmapQuery().available(),
                        f.softDirty().available(), f.anonVmaName().available());
                return new Probed(f, host, new PagemapResidencySource(new ResidencyService(proc, f)));
            });
            Thread t = new Thread(probe, "kernel-features");
            t.setDaemon(true);
            t.start();
            return new Taker(probe, new Inspector(proc, () -> await(probe).host(),
                    (pid, regions, perPage, pfn) -> await(probe).residency().apply(pid, regions, perPage, pfn),
                    VersionProvider.version()));
        }

        KernelFeatures features() {
            return probed().features();
        }

        Snapshot take(int pid, boolean pages, boolean pfn) {
            Inspector.Options o = new Inspector.Options(true, true, true,
                    pages ? Inspector.Options.Residency.PAGES : Inspector.Options.Residency.SUMMARY, pfn);
            try {
                return inspector.snapshot(pid, o);
            } catch (RuntimeException e) {
                // A failed probe is the error reported, whatever the read hit meanwhile: the same failure as when the
                // probe ran before the read.
                probed();
                throw e;
            }
        }

        /** Which residency path the last snapshot used, e.g. "PAGEMAP_SCAN". */
        String residencyPath() {
            ResidencyReport r = probed().residency().lastReport();
            return r == null ? "not read" : r.path().name();
        }

        private Probed probed() {
            return await(probe);
        }

        /** The probe's result, waiting for it; its failure (a typed InspectorException) is rethrown as is. */
        private static Probed await(FutureTask<Probed> probe) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return probe.get();
                    } catch (InterruptedException e) {
                        interrupted = true; // the probe is short and cannot hang: finish waiting, keep the flag
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof RuntimeException r) {
                            throw r;
                        }
                        if (c instanceof Error err) {
                            throw err;
                        }
                        throw new IllegalStateException("kernel-feature probe failed: " + c, c);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
