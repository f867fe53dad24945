package dev.inspector.core.lab;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Residency;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.ResidencyOptions;
import dev.inspector.core.residency.ResidencyService;
import dev.inspector.core.residency.ScanPath;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.Target;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the inspector's own process through the same readers a user points at any process: maps and smaps via
 * {@link Target}, pagemap via {@link ResidencyService}, the lab thread's stat, and {@code brk(0)}. Only the given range
 * (and its neighbouring lines) is looked at, because the JVM maps and unmaps elsewhere concurrently.
 *
 * <p>Page counts come from pagemap reads (the only path with the exclusive bit, and with PFNs when we have
 * CAP_SYS_ADMIN, which identify the zero page by its frame). Without PFNs the zero page is recognised by
 * PAGEMAP_SCAN's PFNZERO category, which the kernel reports to unprivileged readers too (Linux 6.7+).
 */
final class Observer {

    private final ProcFs fs;
    private final Target self;
    private final ResidencyService residency;
    private final KernelFeatures features;
    private final int pageSize;

    Observer(ProcFs fs, KernelFeatures features) {
        this.fs = fs;
        this.self = Target.open(fs, ProcFs.selfPid());
        this.residency = new ResidencyService(fs, features);
        this.features = features;
        this.pageSize = Sys.pageSize();
    }

    int pid() {
        return self.pid();
    }

    /** How the zero page is recognised on this host, in one phrase; null when it cannot be. */
    String zeroHow() {
        if (features.noZeroPage()) {
            return "the feature probe found none on this kernel";
        }
        if (!features.zeroPage().available()) {
            return null;
        }
        if (features.pfnsVisible().available() && features.zeroPfn() >= 0) {
            return "pagemap PFN == the zero page's PFN 0x" + Long.toHexString(features.zeroPfn());
        }
        if (features.pagemapScan().available()) {
            return "PAGEMAP_SCAN category PFNZERO; PFNs are hidden from us";
        }
        return null;
    }

    /** Why the zero page cannot be seen, when {@link #zeroHow()} is null. */
    String zeroUnobservable() {
        if (!features.zeroPage().available()) {
            return features.zeroPage().reason();
        }
        return "PFNs hidden (" + features.pfnsVisible().reason() + ") and no PAGEMAP_SCAN ("
                + features.pagemapScan().reason() + ")";
    }

    /** The id of the thread calling, from the /proc/thread-self link ("PID/task/TID"). */
    int currentTid() {
        Path link = fs.root().resolve("thread-self");
        String t;
        try {
            t = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw fs.translate(e, link, self.pid());
        }
        try {
            return Integer.parseInt(t.substring(t.lastIndexOf('/') + 1));
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(link.toString(), 0, t, "expected the link to read PID/task/TID");
        }
    }

    /**
     * Our own maps. Other JVM threads map and unmap while we read (malloc arenas, thread stacks), and the kernel drops
     * mmap_lock between read() calls, so a listing can be torn; Target re-reads once, we retry a few more times.
     */
    List<Mapping> maps() {
        return untorn(self::maps);
    }

    private static <T> T untorn(java.util.function.Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (MalformedProcFile e) {
                if (attempt >= TORN_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private static final int TORN_RETRIES = 5;

    /**
     * Measures now. {@code faultsFirst}: read the thread's fault count before everything else (for the observation
     * after a step) or after everything else (before a step), so that the delta spans the step's own work and not the
     * reading of maps and smaps, which allocates and may fault on this thread too.
     */
    Observation observe(Range r, boolean faultsFirst) {
        int tid = currentTid();
        long minflt = faultsFirst ? self.taskStat(tid).minflt() : 0;
        long brk = Sys.currentBreak();
        List<Mapping> all = maps();
        List<Mapping> lines = new ArrayList<>();
        Mapping prev = null;
        Mapping next = null;
        Mapping heap = null;
        for (Mapping m : all) {
            if (m.path().type() == MappingPath.Type.HEAP) {
                heap = m;
            }
            if (r.overlaps(m.start(), m.end())) {
                lines.add(m);
            } else if (Long.compareUnsigned(m.end(), r.start()) <= 0) {
                prev = m;
            } else if (next == null && Long.compareUnsigned(m.start(), r.end()) >= 0) {
                next = m;
            }
        }
        long rss = lines.isEmpty() ? 0 : untorn(() -> {
            long[] sum = {0};
            self.smaps(rec -> {
                if (r.overlaps(rec.mapping().start(), rec.mapping().end())) {
                    sum[0] += rec.smaps().rss();
                }
            });
            return sum[0];
        });
        Stat st = self.stat();
        long startBrk = st.startBrk() == null ? -1 : st.startBrk();
        Pages pages = pages(r, lines);
        if (!faultsFirst) {
            minflt = self.taskStat(tid).minflt();
        }
        return new Observation(r, lines, prev, next, pages, rss, tid, minflt, brk, heap, startBrk);
    }

    private Pages pages(Range r, List<Mapping> lines) {
        long total = r.size() / pageSize;
        long present = 0;
        long exclusive = 0;
        long zero = 0;
        String how = zeroHow();
        boolean zeroByPfn = features.pfnsVisible().available() && features.zeroPfn() >= 0;
        ResidencyOptions reads = ResidencyOptions.summary().withPfns(zeroByPfn).forcing(ScanPath.PAGEMAP);
        for (Mapping m : lines) {
            Mapping part = clip(m, r);
            Residency res = residency.scan(self.pid(), part, reads).residency();
            present += res.present();
            exclusive += res.exclusive();
            if (features.noZeroPage()) {
                continue; // no page is ever on a zero page here
            }
            if (zeroByPfn) {
                zero += res.zeroPage();
            } else if (how != null) {
                MappingResidency scan = residency.scan(self.pid(), part,
                        ResidencyOptions.summary().forcing(ScanPath.PAGEMAP_SCAN));
                zero += scan.residency().zeroPage();
            }
        }
        return new Pages(total, present, exclusive, how == null ? -1 : zero, how == null ? zeroUnobservable() : how);
    }

    /** The part of a maps line inside the range, as a mapping the residency readers can scan. */
    static Mapping clip(Mapping m, Range r) {
        long s = Long.compareUnsigned(m.start(), r.start()) < 0 ? r.start() : m.start();
        long e = Long.compareUnsigned(m.end(), r.end()) > 0 ? r.end() : m.end();
        long off = m.offset() + (s - m.start());
        return new Mapping(s, e, m.perms(), off, m.devMajor(), m.devMinor(), m.inode(), m.path());
    }
}
