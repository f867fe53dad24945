package dev.inspector.core.json;

import dev.inspector.core.analysis.Inspector;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.pages.PagemapResidencySource;
import dev.inspector.core.pages.ResidencyService;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.sys.KernelFeatures;

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
        KernelFeatures f = KernelFeatures.detect();
        HostInfo.Features features = f.toModel();
        HostInfo host = new HostFacts(ProcFs.system()).read(features.pagemapScan(), features.procmapQuery(),
                features.softDirty(), features.anonVmaName());
        Inspector inspector = new Inspector(ProcFs.system(), host,
                new PagemapResidencySource(ResidencyService.system()), "0.1.0-test");
        boolean pfn = pages && features.pfnsVisible();
        return inspector.snapshot(pid, new Inspector.Options(true, true, true,
                pages ? Inspector.Options.Residency.PAGES : Inspector.Options.Residency.SUMMARY, pfn));
    }
}
