package dev.inspector.core.checklist;

import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.KernelSettings;
import dev.inspector.core.procfs.parse.CpuinfoParser;

import java.util.List;
import java.util.Map;

/**
 * What {@code inspector model} measures before judging anything: the host's facts and probed features, the kernel's
 * memory settings, the CPU's flags and address sizes, /proc/meminfo, and a snapshot of one process (maps, smaps,
 * limits) and its persona word (null when it may not be read). {@code layout32} and {@code above3G} are the steps of a 32-bit sample run just now, or null with
 * {@code missing32} saying why there is none.
 */
public record ModelEvidence(HostInfo host, KernelFeatures features, KernelSettings.Value randomizeVaSpace,
                            KernelSettings.Value mmapRndBits, KernelSettings.Value legacyVaLayout,
                            List<KernelSettings.HugePool> hugePools, String hugePoolsDir,
                            KernelSettings.Value thpPmdSize, String thp, CpuinfoParser.Cpu cpu,
                            Map<String, Long> meminfo, String meltdown, boolean kcore, boolean devMem,
                            KernelFiles.KernelText kernelText, Snapshot process, boolean self, Long personality,
                            SampleStep layout32,
                            SampleStep above3G, String missing32) {

    public ModelEvidence {
        hugePools = List.copyOf(hugePools);
        meminfo = Map.copyOf(meminfo);
    }
}
