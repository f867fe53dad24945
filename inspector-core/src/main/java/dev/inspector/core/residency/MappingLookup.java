package dev.inspector.core.residency;

import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.ProcmapQuery;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Address → mapping, by whichever way measured faster for the job ({@code inspector bench procmap}, Linux 6.18,
 * 2 CPUs, medians; docs/perf/pages.md):
 * <ul>
 *   <li><b>One address</b>: one {@code ioctl(PROCMAP_QUERY)} (Linux 6.11+) on a fresh fd of {@code /proc/PID/maps}
 *       asks the kernel for that VMA only; reading and parsing all of maps grows with the number of mappings.
 *       0.079 ms vs 0.268 ms on a 216-mapping JVM (3.4x), 0.286 ms vs 28.1 ms on 60,029 mappings (98x). So
 *       {@link #find} uses PROCMAP_QUERY whenever the kernel has it and the ProcFs is the live /proc.</li>
 *   <li><b>Every mapping</b>: stays on the maps text ({@link ProcFs#maps}). Walking with PROCMAP_QUERY costs one
 *       ioctl (and a JNA structure write and read) per VMA: 2.18 ms vs 0.288 ms (7.6x slower) on 216 mappings,
 *       449 ms vs 28.4 ms (16x slower) on 60,029.</li>
 * </ul>
 * The {@code [vsyscall]} page is not a VMA, so PROCMAP_QUERY never returns it: kernel-half addresses go to the text.
 */
public final class MappingLookup {

    private MappingLookup() {
    }

    /**
     * The mapping of {@code pid} that contains {@code addr} (unsigned), or empty when the address is unmapped.
     * Errors: NoSuchProcess, ProcessGone, AccessDenied as for any proc file.
     */
    public static Optional<Mapping> find(ProcFs procFs, KernelFeatures features, int pid, long addr) {
        if (usesProcmapQuery(procFs, features, addr)) {
            return viaProcmapQuery(procFs, pid, addr);
        }
        return viaMapsText(procFs, pid, addr);
    }

    /** Whether {@link #find} asks PROCMAP_QUERY for this address on this ProcFs (else it reads the maps text). */
    public static boolean usesProcmapQuery(ProcFs procFs, KernelFeatures features, long addr) {
        return procFs.isLive() && addr >= 0 && features.procmapQuery().available();
    }

    /** One {@code PROCMAP_QUERY} on a fresh fd of the maps file: the VMA covering {@code addr}. */
    public static Optional<Mapping> viaProcmapQuery(ProcFs procFs, int pid, long addr) {
        Path maps = procFs.memDir(pid).resolve("maps");
        ProcmapQuery q;
        try {
            q = ProcmapQuery.open(maps.toString());
        } catch (NativeCallFailed e) {
            throw translate(procFs, e, maps, pid);
        }
        try (q) {
            return q.covering(addr).map(ProcmapQuery.Vma::mapping);
        } catch (NativeCallFailed e) {
            throw translate(procFs, e, maps, pid);
        }
    }

    /** The whole maps text, parsed, then a binary search. */
    public static Optional<Mapping> viaMapsText(ProcFs procFs, int pid, long addr) {
        return search(procFs.maps(pid), addr);
    }

    /** Binary search (unsigned) in mappings sorted by address, as maps lists them. */
    public static Optional<Mapping> search(List<Mapping> sorted, long addr) {
        int i = Mapping.indexContaining(sorted, addr);
        return i < 0 ? Optional.empty() : Optional.of(sorted.get(i));
    }

    private static RuntimeException translate(ProcFs procFs, NativeCallFailed e, Path maps, int pid) {
        return procFs.translate(e, maps, pid);
    }
}
