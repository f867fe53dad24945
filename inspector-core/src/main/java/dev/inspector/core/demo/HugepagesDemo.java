package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.model.Region;
import dev.inspector.core.procfs.KernelSettings;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;

/** The {@code hugepages} sample: 4 KiB pages by default, 2 MiB THP on request, hugetlb where a pool has pages (C33 C34). */
final class HugepagesDemo {

    private HugepagesDemo() {
    }

    static Demo demo() {
        return new Demo("hugepages", "hugepages", List.of(), Map.of(),
                "4 KiB pages by default, 2 MiB pages on request (THP), hugetlb only where pages are reserved",
                "A plain region, a region asking for transparent huge pages, and MAP_HUGETLB with 2 MiB and 1 GiB"
                    + " pages: the page size the kernel used for each, and what a hugetlb mapping needs (a pool with"
                    + " free pages, and a CPU with that page size). The sample never changes a system setting.",
                List.of(
                        step("plain_anon_touched", s -> "wrote a 2 MiB-aligned region without advice (THP "
                                + s.value("thp_enabled") + ")", List.of(basePages())),
                        step("thp_madvised_touched", "wrote a region with MADV_HUGEPAGE", List.of(thp())),
                        step("hugetlb_2MiB", s -> "mmap(MAP_HUGETLB | MAP_HUGE_2MB) of one page: " + s.value("result"),
                                List.of(hugetlb())),
                        step("hugetlb_1GiB", s -> "mmap(MAP_HUGETLB | MAP_HUGE_1GB) of one page: " + s.value("result"),
                                List.of(hugetlb())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> basePages() {
        return claim("C33", "memory is managed in 4 KiB pages, a size the hardware sets", e -> {
            SampleStep.Range r = e.step().range("plain");
            Region region = e.regionAt(r.lo());
            if (region == null || region.smaps() == null) {
                return Finding.differs("no line holds " + r);
            }
            long kps = region.smaps().get("KernelPageSize");
            long mmu = region.smaps().get("MMUPageSize");
            long huge = region.smaps().get("AnonHugePages");
            String seen = "KernelPageSize " + kps / 1024 + " kB, MMUPageSize " + mmu / 1024 + " kB, AnonHugePages "
                    + huge / 1024 + " kB; AT_PAGESZ " + e.pageSize();
            if (kps != 4096 || mmu != 4096 || e.pageSize() != 4096) {
                return Finding.differs(seen);
            }
            if (huge > 0) {
                return Finding.holdsWithNuance(seen, "the base page is 4 KiB, but with THP '" + e.kernel().thp()
                        + "' the kernel maps this region in 2 MiB pages without being asked");
            }
            return Finding.holds(seen);
        });
    }

    static Expectation<DemoEvidence> thp() {
        return claim("C34", "besides 4 KiB pages there are 2 MiB pages", e -> {
            String thp = e.kernel().thp();
            if (thp == null || thp.equals("never")) {
                return Finding.cannotCheck(thp == null ? "this kernel has no transparent huge pages"
                        : "transparent huge pages are disabled here (enabled = never)");
            }
            if (!e.step().value("madv_hugepage").equals("ok")) {
                return Finding.cannotCheck("madvise(MADV_HUGEPAGE) failed with " + e.step().value("madv_hugepage"));
            }
            return DemandPagingDemo.hugeFinding(e, "thp", thp);
        });
    }

    static Expectation<DemoEvidence> hugetlb() {
        return claim("C34", "besides 4 KiB pages there are 2 MiB and 1 GiB pages", e -> {
            SampleStep s = e.step();
            long bytes = s.number("page_kib") * 1024;
            String result = s.value("result");
            KernelSettings.HugePool pool = e.kernel().pool(bytes);
            String poolText = pool == null ? "no " + s.value("pool") + " pool in " + e.kernel().hugePoolsDir()
                    : s.value("pool") + ": " + pool.total() + " reserved, " + pool.free() + " free";
            if (result.equals("ok")) {
                SampleStep.Range r = s.range("hugetlb");
                Region region = e.regionAt(r.lo());
                if (region == null || region.smaps() == null) {
                    return Finding.differs("MAP_HUGETLB succeeded but no line holds " + r);
                }
                long kps = region.smaps().get("KernelPageSize");
                long priv = region.smaps().get("Private_Hugetlb") + region.smaps().get("Shared_Hugetlb");
                String seen = Judges.brief(region) + ": KernelPageSize " + kps / 1024 + " kB, Hugetlb "
                        + priv / 1024 + " kB, Rss " + region.smaps().rss() / 1024 + " kB; " + poolText;
                if (kps != bytes) {
                    return Finding.differs(seen);
                }
                return Finding.holdsWithNuance(seen, "hugetlb pages must be reserved in the pool first, and they are"
                        + " counted in Private_Hugetlb, not in Rss");
            }
            if (result.equals("ENOMEM") && pool != null && pool.free() == 0) {
                return Finding.cannotCheck("no free page in the " + size(bytes) + " hugetlb pool (" + poolText
                        + "); as root, reserve some: echo 4 > " + e.kernel().hugePoolsDir() + "/" + s.value("pool")
                        + "/nr_hugepages");
            }
            if (result.equals("EINVAL") && pool == null) {
                boolean gb = bytes == 1L << 30;
                return Finding.cannotCheck("this kernel has no " + size(bytes) + " page pool" + (gb
                        ? ": the CPU has no 1 GiB pages (cpuinfo flag pdpe1gb " + (e.kernel().cpu().has("pdpe1gb")
                        ? "present" : "absent") + ")" : ""));
            }
            return Finding.differs("MAP_HUGETLB gave " + result + "; " + poolText);
        });
    }
}
