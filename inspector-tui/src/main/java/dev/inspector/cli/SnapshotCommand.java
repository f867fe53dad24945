package dev.inspector.cli;

import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.json.AtomicFile;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.residency.ResidencyReport;
import dev.inspector.core.session.InspectionSession;
import dev.inspector.present.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
        header = "Everything known about a process at one instant, as JSON.",
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
        InspectionSession session = host().session(pid);
        if (pfn) {
            host().prefetchFeatures();
        }
        if (pfn && !host().features().pfnsVisible().available()) {
            throw new UnsupportedFeature("--pfn needs CAP_SYS_ADMIN: " + host().features().pfnsVisible().reason());
        }
        Snapshot s = session.snapshot(pages || pfn ? SnapshotOptions.fullWithPages(pfn) : SnapshotOptions.full());
        if (AtomicFile.STDOUT.equals(output)) {
            SnapshotJson.write(s, out());
            return ExitCodes.OK;
        }
        dev.inspector.core.Trace.mark("snapshot command: taken");
        SnapshotJson.write(s, output);
        dev.inspector.core.Trace.mark("snapshot command: written");
        ResidencyReport r = session.lastResidencyReport();
        err().println("inspector: wrote " + output + ": " + s.regions().size() + " mappings, " + s.threads().size()
                + (s.threads().size() == 1 ? " thread, " : " threads, ") + Format.size(size(output)) + " (residency: "
                + (r == null ? "not read" : r.path().name()) + ")");
        return ExitCodes.OK;
    }

    private static long size(String file) throws IOException {
        return Files.size(Paths.get(file));
    }
}
