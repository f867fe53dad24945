package dev.inspector.core.json;

import dev.inspector.core.testing.Live;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.residency.PagemapResidencySource;
import dev.inspector.core.residency.ResidencyService;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;

/**
 * Test-only: a snapshot of a live process taken the way {@code inspector snapshot} takes it (the production
 * {@link Inspector} with pagemap residency), so the JSON, schema, diff and timeline tests run on what the kernel
 * actually reports and on what the tool actually writes.
 */
public final class RealSnapshots {

    private RealSnapshots() {
    }

    public static int selfPid() {
        return (int) ProcessHandle.current().pid();
    }

    /** A snapshot of this JVM; with {@code pages}, per-page runs (with frames when this user may see them). */
    public static Snapshot self(boolean pages) {
        return of(selfPid(), pages);
    }

    public static Snapshot of(int pid, boolean pages) {
        boolean pfn = pages && Live.features().pfnsVisible().available();
        return Live.host().session(pid).snapshot(pages ? SnapshotOptions.fullWithPages(pfn) : SnapshotOptions.full());
    }
}
