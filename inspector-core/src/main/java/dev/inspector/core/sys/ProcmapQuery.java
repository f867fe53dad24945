package dev.inspector.core.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code ioctl(PROCMAP_QUERY)} on an fd of {@code /proc/PID/maps} (Linux 6.11+): the VMA containing (or the first
 * above) an address, without reading and parsing the whole maps text, plus the build ID of the mapped ELF file.
 * Not thread-safe; one instance reuses its argument and buffers.
 *
 * <p>Differences from maps text: {@code [vsyscall]} is not a VMA (it is the kernel's gate area), so the ioctl never
 * returns it; names come raw (a newline in a file name is a newline, not {@code \012}).
 */
public final class ProcmapQuery implements AutoCloseable {

    /** PATH_MAX: the kernel caps vma_name_size there. */
    private static final int NAME_CAPACITY = 4096;
    /** BUILD_ID_SIZE_MAX is 20; room to spare so a longer ID is never ENAMETOOLONG. */
    private static final int BUILD_ID_CAPACITY = 64;
    private static final int ENOENT = com.sun.jna.platform.linux.ErrNo.ENOENT;

    /** One VMA as PROCMAP_QUERY describes it. {@code buildId} is empty when the file has none (or no file). */
    public record Vma(Mapping mapping, long pageSize, byte[] buildId) {
        public Vma {
            buildId = buildId.clone();
        }

        @Override
        public byte[] buildId() {
            return buildId.clone();
        }

        /** The build ID in lower-case hex (as {@code readelf -n} shows it), or empty. */
        public String buildIdHex() {
            return HexFormat.of().formatHex(buildId);
        }
    }

    private final int fd;
    private final String path;
    private final ProcmapQueryArg arg = new ProcmapQueryArg();
    private final Memory name = new Memory(NAME_CAPACITY);
    private final Memory buildId = new Memory(BUILD_ID_CAPACITY);
    private boolean closed;

    private ProcmapQuery(int fd, String path) {
        this.fd = fd;
        this.path = path;
    }

    /** Opens {@code mapsPath} (normally {@code /proc/PID/maps}). */
    public static ProcmapQuery open(String mapsPath) {
        return new ProcmapQuery(Sys.openReadOnly(mapsPath), mapsPath);
    }

    /** The mapping containing {@code addr}, or else the first one above it, in {@code mapsPath}'s process. */
    public static Optional<Vma> lookup(String mapsPath, long addr) {
        try (ProcmapQuery q = open(mapsPath)) {
            return q.coveringOrNext(addr);
        }
    }

    /** Every VMA of {@code mapsPath}'s process, in address order, by repeated queries. */
    public static List<Vma> walk(String mapsPath) {
        try (ProcmapQuery q = open(mapsPath)) {
            return q.walk();
        }
    }

    public Optional<Vma> covering(long addr) {
        return query(addr, 0);
    }

    public Optional<Vma> coveringOrNext(long addr) {
        return query(addr, ProcmapQueryArg.COVERING_OR_NEXT_VMA);
    }

    /** Walks from address 0 with COVERING_OR_NEXT_VMA, each time continuing at the previous VMA's end. */
    public List<Vma> walk() {
        List<Vma> out = new ArrayList<>();
        long addr = 0;
        while (true) {
            Optional<Vma> v = coveringOrNext(addr);
            if (v.isEmpty()) {
                return out;
            }
            out.add(v.get());
            long end = v.get().mapping().end();
            if (Long.compareUnsigned(end, addr) <= 0) {
                return out; // cannot happen for a sane kernel; never loop forever
            }
            addr = end;
        }
    }

    /**
     * One query with the given {@code procmap_query_flags}. ENOENT (no matching VMA) is an empty result; any other
     * failure (ENOTTY on kernels before 6.11, ESRCH when the process exited) is {@link NativeCallFailed}.
     */
    public Optional<Vma> query(long addr, long flags) {
        arg.size = ProcmapQueryArg.SIZE;
        arg.query_flags = flags;
        arg.query_addr = addr;
        arg.vma_name_size = NAME_CAPACITY;
        arg.vma_name_addr = Pointer.nativeValue(name);
        arg.build_id_size = BUILD_ID_CAPACITY;
        arg.build_id_addr = Pointer.nativeValue(buildId);
        arg.write();
        try {
            Sys.ioctl(fd, Ioc.PROCMAP_QUERY, arg.getPointer(), "PROCMAP_QUERY on " + path + " at " + Sys.hex(addr));
        } catch (NativeCallFailed e) {
            if (e.errno() == ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
        arg.read();
        long vf = arg.vma_flags;
        Perms perms = Perms.of((vf & ProcmapQueryArg.VMA_READABLE) != 0, (vf & ProcmapQueryArg.VMA_WRITABLE) != 0,
                (vf & ProcmapQueryArg.VMA_EXECUTABLE) != 0, (vf & ProcmapQueryArg.VMA_SHARED) != 0);
        MappingPath mp = decodeName(arg.vma_name_size);
        Mapping m = new Mapping(arg.vma_start, arg.vma_end, perms, arg.vma_offset, arg.dev_major, arg.dev_minor,
                arg.inode, mp);
        byte[] id = arg.build_id_size > 0 ? buildId.getByteArray(0, arg.build_id_size) : new byte[0];
        return Optional.of(new Vma(m, arg.vma_page_size, id));
    }

    /** vma_name_size comes back as the name's length including its terminating NUL, 0 for an unnamed VMA. */
    private MappingPath decodeName(int size) {
        if (size <= 1) {
            return MappingPath.ANONYMOUS;
        }
        String text = new String(name.getByteArray(0, size - 1), StandardCharsets.UTF_8);
        return decodeName(text);
    }

    /** The same name shapes MapsParser recognises, from the raw (unescaped) name the ioctl returns. */
    static MappingPath decodeName(String text) {
        if (text.length() >= 2 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']') {
            String inner = text.substring(1, text.length() - 1);
            return MappingPath.bracketed(inner);
        }
        String deletedSuffix = " (deleted)";
        boolean deleted = text.endsWith(deletedSuffix);
        return MappingPath.file(deleted ? text.substring(0, text.length() - deletedSuffix.length()) : text, deleted);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            name.close();
            buildId.close();
            Sys.close(fd);
        }
    }
}
