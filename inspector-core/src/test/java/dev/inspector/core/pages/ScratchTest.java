package dev.inspector.core.pages;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.procfs.ProcFs;
import org.junit.jupiter.api.Test;

import java.util.List;

class ScratchTest {
    @Test
    void child() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        Thread.sleep(300);
        try { diffPid((int) p.pid()); } finally { p.destroy(); }
    }

    @Test
    void diff() { diffPid(Lab.PID); }

    void diffPid(int pid) {
        ResidencyService svc = ResidencyService.system();
        for (Mapping m : ProcFs.system().maps(pid)) {
            if (!ResidencyService.coveredByPagemap(m)) continue;
            MappingResidency s = svc.scan(pid, m, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP_SCAN));
            MappingResidency r = svc.scan(pid, m, ResidencyOptions.defaults().forcing(ScanPath.PAGEMAP));
            System.out.println(m.toMapsLine() + " " + s.residency().present() + "/" + r.residency().present());
            if (!Lab.agrees(s, r)) {
                int mask = s.knownFlags() & r.knownFlags();
                List<PageRun> a = PageRuns.normalize(s.runs(), mask);
                List<PageRun> b = PageRuns.normalize(r.runs(), mask);
                System.out.println("DIFF " + m.toMapsLine() + "\n scan " + s.residency() + "\n read " + r.residency());
                for (int i = 0; i < Math.max(a.size(), b.size()) ; i++) {
                    PageRun x = i < a.size() ? a.get(i) : null, y = i < b.size() ? b.get(i) : null;
                    if (x == null || !x.equals(y)) { System.out.println("  " + i + " scan " + x + " read " + y); }
                }
                try (PagemapReader rd = new PagemapReader(ProcFs.system(), pid, svc.features())) {
                    for (PageRun x : a) if (x.flags() != 0) {
                        long addr = m.start() + x.firstPage() * 4096;
                        System.out.println("   entry @" + Long.toHexString(addr) + " " + rd.entry(addr));
                    }
                }
            }
        }
    }
}
