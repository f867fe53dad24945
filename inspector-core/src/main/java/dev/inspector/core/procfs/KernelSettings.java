package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.procfs.parse.CpuinfoParser;
import dev.inspector.core.procfs.parse.MeminfoParser;
import dev.inspector.core.procfs.parse.SysctlParser;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Readers of the kernel's memory settings and facts that the documents' model is checked against: the ASLR sysctls,
 * {@code vm.max_map_count}, hugetlb pools and the THP page size under /sys, /proc/meminfo, the CPU flags, the meltdown
 * mitigation, and whether /proc/kcore or /dev/mem exist. Rooted like {@link ProcFs}: /sys and /dev are the siblings of
 * the proc root (fixture trees hold all three). A value this user may not read (mmap_rnd_bits is mode 0600) is a
 * {@link Value} without a number and with the reason, never a guess.
 */
public final class KernelSettings {

    private final ProcFs proc;
    private final Path sys;
    private final Path dev;

    public KernelSettings(ProcFs proc) {
        this.proc = proc;
        this.sys = proc.root().resolveSibling("sys");
        this.dev = proc.root().resolveSibling("dev");
    }

    /** A number read from a kernel file, or null with {@code note} saying why it could not be read. */
    public record Value(String file, Long value, String note) {
        public boolean known() {
            return value != null;
        }

        @Override
        public String toString() {
            return value != null ? Long.toString(value) : "? (" + note + ")";
        }
    }

    /** One hugetlb pool: its page size and the counts of /sys/kernel/mm/hugepages/hugepages-NkB. */
    public record HugePool(String name, long pageBytes, long total, long free, long reserved, long surplus) {
    }

    /** /proc/sys/vm/mmap_rnd_bits: how many bits of randomness the mmap base gets (root only: mode 0600). */
    public Value mmapRndBits() {
        return sysctl("sys/vm/mmap_rnd_bits");
    }

    /** /proc/sys/vm/mmap_rnd_compat_bits: the same for 32-bit (compat) tasks. */
    public Value mmapRndCompatBits() {
        return sysctl("sys/vm/mmap_rnd_compat_bits");
    }

    /** /proc/sys/kernel/randomize_va_space: 0 off, 1 stack/mmap/vDSO, 2 also the brk heap. */
    public Value randomizeVaSpace() {
        return sysctl("sys/kernel/randomize_va_space");
    }

    /** /proc/sys/vm/max_map_count: the most mappings one process may hold. */
    public Value maxMapCount() {
        return sysctl("sys/vm/max_map_count");
    }

    /** /proc/sys/vm/legacy_va_layout: 1 forces the old bottom-up mmap layout for every process. */
    public Value legacyVaLayout() {
        return sysctl("sys/vm/legacy_va_layout");
    }

    /** /sys/kernel/mm/transparent_hugepage/hpage_pmd_size: the size of a PMD-mapped THP, in bytes. */
    public Value thpPmdSize() {
        return number(sys.resolve("kernel/mm/transparent_hugepage/hpage_pmd_size"));
    }

    /** The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled, or null without THP support. */
    public String thpEnabled() {
        String t = optional(sys.resolve("kernel/mm/transparent_hugepage/enabled"));
        return t == null ? null : SysctlParser.selected(t);
    }

    /** The hugetlb pools the kernel has (one per page size the CPU supports), smallest first; empty without hugetlb. */
    public List<HugePool> hugePools() {
        Path dir = sys.resolve("kernel/mm/hugepages");
        List<HugePool> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                long bytes = SysctlParser.hugePoolBytes(name);
                if (bytes > 0) {
                    out.add(new HugePool(name, bytes, count(p, "nr_hugepages"), count(p, "free_hugepages"),
                            count(p, "resv_hugepages"), count(p, "surplus_hugepages")));
                }
            }
        } catch (IOException e) {
            throw proc.translate(e, dir, 0);
        }
        out.sort(Comparator.comparingLong(HugePool::pageBytes));
        return out;
    }

    /** The directory of the hugetlb pools, for evidence lines. */
    public Path hugePoolsDir() {
        return sys.resolve("kernel/mm/hugepages");
    }

    /** /proc/meminfo, values in bytes where the kernel wrote kB. */
    public Map<String, Long> meminfo() {
        Path p = proc.root().resolve("meminfo");
        return MeminfoParser.parse(proc.readString(p, 0), p.toString());
    }

    /** The first processor of /proc/cpuinfo: flags and address sizes. */
    public CpuinfoParser.Cpu cpu() {
        return CpuinfoParser.parse(proc.readString(proc.root().resolve("cpuinfo"), 0));
    }

    /**
     * /sys/devices/system/cpu/vulnerabilities/meltdown ("Mitigation: PTI", "Not affected", "Vulnerable"), or null
     * when the kernel has no such file.
     */
    public String meltdown() {
        String t = optional(sys.resolve("devices/system/cpu/vulnerabilities/meltdown"));
        return t == null ? null : t.strip();
    }

    /** Whether /proc/kcore exists (an ELF core image of the kernel's memory, CONFIG_PROC_KCORE). */
    public boolean kcoreExists() {
        return Files.exists(proc.root().resolve("kcore"));
    }

    /** Whether /dev/mem exists (physical memory as a device, CONFIG_DEVMEM). */
    public boolean devMemExists() {
        return Files.exists(dev.resolve("mem"));
    }

    /** The path a reader reports, for evidence lines ("sys/vm/mmap_rnd_bits" under the proc root). */
    public Path procFile(String name) {
        return proc.root().resolve(name);
    }

    private Value sysctl(String name) {
        return number(proc.root().resolve(name));
    }

    private Value number(Path p) {
        if (!Files.exists(p)) {
            return new Value(p.toString(), null, "no such file on this kernel");
        }
        try {
            // One large read: sysctl files answer a read at a non-zero offset with EOF.
            return new Value(p.toString(), SysctlParser.integer(proc.readString(p, 0), p.toString()), null);
        } catch (AccessDenied e) {
            return new Value(p.toString(), null, "not readable by this user (root only)");
        }
    }

    private long count(Path pool, String file) {
        Value v = number(pool.resolve(file));
        return v.known() ? v.value() : -1;
    }

    private String optional(Path p) {
        if (!Files.exists(p)) {
            return null;
        }
        try {
            return proc.readString(p, 0);
        } catch (AccessDenied e) {
            return null;
        }
    }
}
