package dev.inspector.core.elf;

import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.sys.FileStat;
import dev.inspector.core.sys.OpenFile;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The ELF headers of the files another process maps, read from the file that is actually mapped.
 *
 * <p>A maps path is only a name: relative to the target's root (a chrooted process's {@code /lib/libc.so.6} is not
 * ours), possibly deleted or replaced since (a package upgrade), possibly a FIFO or device by now (a hostile process
 * can chroot to a directory where it is one, and a plain {@code open} would block forever or wake a driver). So, for
 * each mapping:
 * <ol>
 * <li>{@code /proc/PID/map_files/START-END}: a link to the mapped file itself, deleted or not. Following it needs
 *     CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (Linux 5.9+) in the initial user namespace;</li>
 * <li>else {@code /proc/PID/exe} for the executable, {@code /proc/PID/root/PATH} for the rest (the target's own root,
 *     so a container's paths resolve in the container), and the evidence says map_files could not be used;</li>
 * <li>either is opened {@code O_PATH} first ({@link OpenFile}): nothing blocks, no device is opened; anything but a
 *     regular file is refused;</li>
 * <li>its device and inode must be the ones the maps line names ({@link #identity}); else it is another file;</li>
 * <li>it is reopened for reading through {@code /proc/self/fd} (the same inode) and parsed within
 *     {@link ElfFile.Limits}, all within the cache's deadline.</li>
 * </ol>
 * Whatever goes wrong becomes the lookup's problem, one phrase the classifier puts in the region's evidence.
 */
public final class MappedElf implements Function<Mapping, ElfLookup> {

    private final Path pidDir;
    private final String exePath;
    private final ElfCache cache;
    private final boolean mapFiles;

    /**
     * @param pidDir  {@code /proc/PID} of the target (the live proc filesystem)
     * @param exePath the target of {@code /proc/PID/exe}, or null
     */
    public MappedElf(Path pidDir, String exePath, ElfCache cache) {
        this(pidDir, exePath, cache, true);
    }

    /**
     * With {@code mapFiles} false, map_files is not tried: the files are read the way a reader without
     * CAP_SYS_ADMIN reads them (so tests run as root can check that path too).
     */
    public MappedElf(Path pidDir, String exePath, ElfCache cache, boolean mapFiles) {
        this.pidDir = pidDir;
        this.exePath = exePath;
        this.cache = cache;
        this.mapFiles = mapFiles;
    }

    @Override
    public ElfLookup apply(Mapping m) {
        return lookup(m);
    }

    /** The headers of the file mapping {@code m} maps (a file-backed mapping), or why there are none. */
    public ElfLookup lookup(Mapping m) {
        String name = m.path().name();
        try {
            return cache.bounded(() -> resolve(m), name);
        } catch (InspectorException e) {
            return ElfLookup.missing(reason(e, name), null);
        }
    }

    private ElfLookup resolve(Mapping m) {
        String name = m.path().name();
        String mapFiles = pidDir.resolve("map_files").resolve(Long.toHexString(m.start()) + "-"
                + Long.toHexString(m.end())).toString();
        String note = null;
        OpenFile f;
        try {
            if (!this.mapFiles) {
                throw new NativeCallFailed("open", OpenFile.EPERM, "EPERM", "map_files not tried");
            }
            f = OpenFile.locate(mapFiles);
        } catch (NativeCallFailed e) {
            String why = !this.mapFiles ? "map_files not used (as without CAP_SYS_ADMIN)"
                    : OpenFile.denied(e) ? "map_files not readable (needs CAP_SYS_ADMIN)"
                    : e.errno() == OpenFile.ENOENT ? "map_files has no entry for this mapping (unmapped since maps"
                    + " was read?)" : "map_files not usable (" + e.errnoName() + ")";
            if (m.path().deleted()) {
                return ElfLookup.missing("deleted file: " + why + ", and its path names another file or none", null);
            }
            boolean exe = name.equals(exePath);
            Path fallback = exe ? pidDir.resolve("exe")
                    : pidDir.resolve("root").resolve(name.startsWith("/") ? name.substring(1) : name);
            note = why + "; " + pidDir + (exe ? "/exe" : "/root path") + " used";
            try {
                f = OpenFile.locate(fallback.toString());
            } catch (NativeCallFailed e2) {
                String w = OpenFile.denied(e2) ? "not permitted (" + e2.errnoName() + ")"
                        : e2.errno() == OpenFile.ENOENT ? "no such file" : e2.errnoName();
                return ElfLookup.missing("cannot open " + fallback + ": " + w, why);
            }
        }
        try (OpenFile file = f) {
            FileStat st = file.stat();
            if (st.type() != FileStat.Type.REGULAR) {
                return ElfLookup.missing("not a regular file (" + st.type().words() + ")", note);
            }
            if (st.inode() == m.inode() && (st.devMajor() != m.devMajor() || st.devMinor() != m.devMinor())) {
                st = st.withFsType(file.fsType()); // only then does the filesystem matter (overlayfs)
            }
            Identity id = identity(m, st);
            if (!id.same()) {
                return ElfLookup.missing(id.words(), note);
            }
            if (id.words() != null) {
                note = note == null ? id.words() : note + "; " + id.words();
            }
            ElfFile elf = cache.load(file, st, name);
            if (!elf.cuts().isEmpty()) {
                String cut = "cut to stay within bounds: " + String.join("; ", elf.cuts());
                note = note == null ? cut : note + "; " + cut;
            }
            return ElfLookup.found(elf, note);
        } catch (NativeCallFailed e) {
            return ElfLookup.missing(e.getMessage(), note);
        } catch (BadInput e) {
            return ElfLookup.missing(reason(e, name), note);
        }
    }

    /** Whether an opened file is the one a maps line names, and what to say about it. */
    public record Identity(boolean same, String words) {
    }

    /**
     * The identity policy. Same device and inode: the same file. On overlayfs, kernels before 6.8 showed the device of
     * the layer that holds the file in maps while the file opened by path is on the overlay's device (the inode
     * number is the layer's on both when the layers share a filesystem, the default without xino): an equal inode
     * on an overlayfs file is accepted, and said. Anything else is another file.
     */
    public static Identity identity(Mapping m, FileStat st) {
        boolean sameDev = st.devMajor() == m.devMajor() && st.devMinor() == m.devMinor();
        if (st.inode() == m.inode() && sameDev) {
            return new Identity(true, null);
        }
        if (st.inode() == m.inode() && st.onOverlayfs()) {
            return new Identity(true, "overlayfs: maps names device " + m.device() + ", the file opened is on "
                    + st.device() + " with the same inode " + m.inode());
        }
        return new Identity(false, "identity differs from the mapping: dev/inode " + m.device() + "/" + m.inode()
                + " in maps, " + st.device() + "/" + st.inode() + " opened (another file at that path)");
    }

    /** A failure's message without the file name in front (the evidence names the file already). */
    private static String reason(InspectorException e, String name) {
        String msg = String.valueOf(e.getMessage());
        int at = msg.indexOf(name + ": ");
        return at >= 0 ? msg.substring(at + name.length() + 2) : msg;
    }
}
