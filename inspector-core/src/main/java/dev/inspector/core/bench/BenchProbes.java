package dev.inspector.core.bench;

import dev.inspector.core.InspectorException;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.residency.MappingLookup;
import dev.inspector.core.residency.ResidencyOptions;
import dev.inspector.core.residency.ResidencyReport;
import dev.inspector.core.session.Host;
import dev.inspector.core.sys.ProcmapQuery;

import java.nio.file.Path;
import java.util.List;

/**
 * The operations the {@code inspector bench} commands time, kept in core so the benchmark front end reads no /proc
 * file itself: a maps read with and without parsing, PROCMAP_QUERY against the maps text, a whole-process residency
 * scan on a forced path, and the facts each report prints about the machine and the inspector's own memory.
 */
public final class BenchProbes {

    private final Host host;
    private final ProcFs fs;

    public BenchProbes(Host host) {
        this.host = host;
        this.fs = host.procFs();
    }

    /** A reusable read buffer over one process's maps file (one per timed loop; not thread-safe). */
    public final class MapsFile {
        private final int pid;
        private final Path maps;
        private final byte[][] buf = new byte[1][];

        private MapsFile(int pid) {
            this.pid = pid;
            this.maps = fs.pidDir(pid).resolve("maps");
        }

        /** Reads the whole file, returns its length in bytes. */
        public int readRaw() {
            return fs.readInto(maps, pid, buf);
        }

        /** Reads and parses it, returns the number of mappings. */
        public int readAndParse() {
            int n = fs.readInto(maps, pid, buf);
            return MapsParser.parse(buf[0], n, maps.toString()).size();
        }
    }

    public MapsFile mapsFile(int pid) {
        return new MapsFile(pid);
    }

    /** The maps of a process, parsed (what the snapshot builder starts from). */
    public List<Mapping> maps(int pid) {
        return fs.maps(pid);
    }

    /** Every VMA by PROCMAP_QUERY (Linux 6.11+): their count. */
    public int walkByQuery(int pid) {
        return ProcmapQuery.walk(fs.pidDir(pid).resolve("maps").toString()).size();
    }

    /** The mapping containing {@code addr} by one PROCMAP_QUERY ioctl: its start, or -1. */
    public long lookupByQuery(int pid, long addr) {
        return MappingLookup.viaProcmapQuery(fs, pid, addr).map(Mapping::start).orElse(-1L);
    }

    /** The same by reading and searching the maps text. */
    public long lookupByText(int pid, long addr) {
        return MappingLookup.viaMapsText(fs, pid, addr).map(Mapping::start).orElse(-1L);
    }

    /** Residency of every mapping of a process (maps read inside, as the C readers do). */
    public ResidencyReport scanProcess(int pid, ResidencyOptions options) {
        return host.residency().scan(pid, fs.maps(pid), options);
    }

    /** "Linux 6.18.0, 2 CPUs (model), load 1.20 0.80 0.50": what every report says of the machine. */
    public String machine() {
        HostFacts f = new HostFacts(fs);
        String kernel;
        try {
            kernel = f.kernelRelease();
        } catch (InspectorException e) {
            kernel = "?";
        }
        return "Linux " + kernel + ", " + Runtime.getRuntime().availableProcessors() + " CPUs (" + f.cpuModel()
                + "), load " + f.loadAverage();
    }

    /**
     * /proc reports CPU times in USER_HZ ticks, which Linux fixes at 100 per second for user space on every
     * architecture (whatever the kernel's own HZ), so the figure is the same as sysconf(_SC_CLK_TCK) here.
     */
    public static final int USER_HZ = 100;

    /** CPU time a process has used so far, user + system, in nanoseconds (stat utime + stime, 10 ms steps). */
    public long cpuNanos(int pid) {
        dev.inspector.core.procfs.parse.Stat s = new dev.inspector.core.procfs.ProcessFiles(fs, pid).stat();
        return (s.utime() + s.stime()) * (1_000_000_000L / USER_HZ);
    }

    /**
     * CPU time of the children this process has waited for (stat cutime + cstime), in nanoseconds: how a benchmark
     * charges a one-shot command (smem) after it has exited.
     */
    public long reapedChildrenCpuNanos() {
        dev.inspector.core.procfs.parse.Stat s = new dev.inspector.core.procfs.ProcessFiles(fs, ProcFs.selfPid())
                .stat();
        return (s.cutime() + s.cstime()) * (1_000_000_000L / USER_HZ);
    }

    /** A {@code kB} field of a process's status (VmRSS, VmHWM) in bytes, or -1 when absent or unreadable. */
    public long statusBytes(int pid, String field) {
        try {
            Long v = new dev.inspector.core.procfs.ProcessFiles(fs, pid).status().memoryBytes(field);
            return v == null ? -1 : v;
        } catch (InspectorException e) {
            return -1;
        }
    }

    /** A {@code kB} field of the inspector's own status (VmHWM, VmRSS) in bytes, or -1 when absent. */
    public long selfStatusBytes(String field) {
        try {
            Path p = fs.selfDir().resolve("status");
            byte[] b = fs.readBytes(p, 0);
            Long v = dev.inspector.core.procfs.parse.StatusParser.parse(b, b.length, p.toString()).memoryBytes(field);
            return v == null ? -1 : v;
        } catch (InspectorException e) {
            return -1;
        }
    }

    /**
     * Resets the inspector's own peak RSS (VmHWM) by writing 5 to its clear_refs (Linux 4.0+); only our own process
     * changes. False when the kernel refused; VmHWM then covers the whole run.
     */
    public boolean resetPeakRss() {
        try {
            fs.write(fs.selfDir().resolve("clear_refs"), "5", 0);
            return true;
        } catch (InspectorException e) {
            return false;
        }
    }
}
