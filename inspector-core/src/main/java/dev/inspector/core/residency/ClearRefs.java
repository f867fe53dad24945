package dev.inspector.core.residency;

import dev.inspector.core.UnsupportedFeature;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The only writes the inspector makes to a target, and only when a user asks for them by name: {@code
 * /proc/PID/clear_refs} (Documentation/filesystems/proc.rst). {@code 1} clears the referenced/accessed bits of every
 * page, so smaps {@code Referenced} later counts what was accessed since; {@code 4} clears the soft-dirty bits, so
 * pagemap bit 55 later marks what was written since (needs CONFIG_MEM_SOFT_DIRTY). Both CHANGE KERNEL STATE OF THE
 * TARGET: accessed bits also steer page reclaim.
 */
public final class ClearRefs {

    /** The line a user sees when soft-dirty is missing, with what works instead. */
    public static final String NO_SOFT_DIRTY_ALTERNATIVES = "use --mark-accessed now and 'pages --accessed' later "
            + "(clear_refs 1 + smaps Referenced), or compare PFNs and the exclusive bit between two 'pages --pfn "
            + "--json' snapshots (a private page written after fork gets a new frame)";

    private final ProcFs procFs;
    private final KernelFeatures features;

    public ClearRefs(ProcFs procFs, KernelFeatures features) {
        this.procFs = procFs;
        this.features = features;
    }

    /** Writes {@code 1}: clears the referenced bits of every page of {@code pid}. Returns the file written. */
    public Path markAccessed(int pid) {
        return write(pid, "1");
    }

    /**
     * Writes {@code 4}: clears the soft-dirty bits of every page of {@code pid}. {@link UnsupportedFeature} (nothing
     * written) when the kernel lacks soft-dirty: the write would be accepted and silently mean nothing.
     */
    public Path markWritten(int pid) {
        requireSoftDirty();
        return write(pid, "4");
    }

    /** {@link UnsupportedFeature} naming what works instead when this kernel has no soft-dirty tracking. */
    public void requireSoftDirty() {
        if (!features.softDirty().available()) {
            throw new UnsupportedFeature("soft-dirty is unavailable (" + features.softDirty().reason()
                    + "), so 'written since a mark' cannot be tracked here; nothing was written to the target; "
                    + NO_SOFT_DIRTY_ALTERNATIVES);
        }
    }

    private Path write(int pid, String value) {
        Path p = procFs.memDir(pid).resolve("clear_refs");
        procFs.write(p, value, pid);
        return p;
    }
}
