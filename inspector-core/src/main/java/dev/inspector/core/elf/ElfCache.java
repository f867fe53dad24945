package dev.inspector.core.elf;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import dev.inspector.core.sys.FileStat;
import dev.inspector.core.sys.OpenFile;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded LRU cache of parsed ELF headers keyed by the file's identity (device, inode, size, mtime), so a process
 * with 300 libraries, or 60,000 mappings of one file, costs one parse per file, and a file replaced in place (new
 * inode) or rewritten (new mtime) is parsed again. Files that are not ELF are cached too, as their {@link BadInput},
 * so a data file mapped many times is not re-read; {@link AccessDenied} is not cached.
 *
 * <p>What it may cost is bounded: each parse by {@link ElfFile.Limits} (bytes read, names kept), the whole cache by an
 * entry count and by the heap its entries keep ({@link ElfFile#retainedBytes()}), and each file's open and read by a
 * deadline ({@link #timeoutMillis()}), so a filesystem that never answers cannot hang the caller. Thread-safe.
 */
public final class ElfCache {

    public static final int DEFAULT_CAPACITY = 1024;
    /** About 400 real libraries' headers; a crafted file that hits every {@link ElfFile.Limits} keeps under 1 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** A local disk answers in microseconds (a cold read in milliseconds): a second means the filesystem is stuck. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 1000;
    /** Reads left blocked past their deadline before further reads are refused at once. */
    static final int MAX_STUCK = 4;

    /** The identity of a file's contents. */
    record Key(int devMajor, int devMinor, long inode, long size, long mtimeSeconds, int mtimeNanos) {
        // Written out: a record's generated equals/hashCode are bootstrapped through method handles on first use,
        // which costs more start-up time than a short maps command spends classifying.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && inode == k.inode && size == k.size && devMajor == k.devMajor
                    && devMinor == k.devMinor && mtimeSeconds == k.mtimeSeconds && mtimeNanos == k.mtimeNanos;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(inode) * 31 + Long.hashCode(size ^ mtimeSeconds) * 17 + devMinor + (devMajor << 20);
        }

        static Key of(FileStat st) {
            return new Key(st.devMajor(), st.devMinor(), st.inode(), st.size(), st.mtimeSeconds(), st.mtimeNanos());
        }
    }

    /** Either a parsed file or the reason it is not one, with what it keeps on the heap. */
    private record Entry(ElfFile elf, BadInput error, long bytes) {
    }

    private final int capacity;
    private final long maxBytes;
    private final ElfFile.Limits limits;
    private final BoundedTime time;
    private final LinkedHashMap<Key, Entry> map = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long parses;
    private long hits;

    public ElfCache(int capacity, long maxBytes, ElfFile.Limits limits, long timeoutMillis) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("capacity and bytes must be positive: " + capacity + ", " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.limits = limits;
        this.time = new BoundedTime(timeoutMillis, MAX_STUCK);
    }

    public ElfCache(int capacity) {
        this(capacity, DEFAULT_MAX_BYTES, ElfFile.Limits.DEFAULT, DEFAULT_TIMEOUT_MILLIS);
    }

    public ElfCache() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * The parsed headers of the regular file at {@code path} (opened without blocking, read within the deadline);
     * throws {@link BadInput} (not ELF, not a regular file, truncated, missing, too slow) or {@link AccessDenied}.
     */
    public ElfFile get(Path path) {
        return time.call(() -> {
            try (OpenFile f = SafeOpen.locate(path)) {
                FileStat st;
                try {
                    st = f.stat();
                } catch (dev.inspector.core.NativeCallFailed e) {
                    throw SafeOpen.translate(e, path);
                }
                if (st.type() != FileStat.Type.REGULAR) {
                    throw new BadInput(path + ": not a regular file (" + st.type().words() + ")");
                }
                return load(f, st, path.toString());
            }
        }, path.toString());
    }

    /**
     * The parsed headers or empty when the file is not ELF, unreadable or gone (see {@link #get(Path)} for why).
     */
    public Optional<ElfFile> find(Path path) {
        try {
            return Optional.of(get(path));
        } catch (InspectorException e) {
            return Optional.empty();
        }
    }

    /** Runs one mapped file's resolution within this cache's deadline ({@link MappedElf}). */
    <T> T bounded(java.util.concurrent.Callable<T> task, String what) {
        return time.call(task, what);
    }

    /**
     * The headers of a located regular file whose statx is {@code st}: from the cache, or parsed after reopening it
     * for reading. Called on the bounded thread.
     */
    ElfFile load(OpenFile located, FileStat st, String label) {
        Key key = Key.of(st);
        Entry e;
        synchronized (this) {
            e = map.get(key);
            if (e != null) {
                hits++;
            }
        }
        if (e == null) {
            try {
                located.openForReading();
            } catch (dev.inspector.core.NativeCallFailed x) {
                throw SafeOpen.translate(x, Path.of(label));
            }
            try {
                ElfFile elf = ElfFile.read(located, st.size(), label, limits);
                e = new Entry(elf, null, elf.retainedBytes() + 96);
            } catch (BadInput bad) {
                e = new Entry(null, bad, 2L * String.valueOf(bad.getMessage()).length() + 256);
            }
            synchronized (this) {
                parses++;
                Entry old = map.put(key, e);
                if (old != null) {
                    bytes -= old.bytes;
                }
                bytes += e.bytes;
                trim();
            }
        }
        if (e.error != null) {
            throw e.error;
        }
        return e.elf;
    }

    /** Drops least recently used entries until both bounds hold (the newest entry always stays). */
    private void trim() {
        Iterator<Map.Entry<Key, Entry>> it = map.entrySet().iterator();
        while ((map.size() > capacity || bytes > maxBytes) && map.size() > 1 && it.hasNext()) {
            bytes -= it.next().getValue().bytes;
            it.remove();
        }
    }

    /** Number of files actually parsed (cache misses) since creation. */
    public synchronized long parses() {
        return parses;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized int size() {
        return map.size();
    }

    /** The heap the cached entries keep, by their own estimate; at most {@link #maxBytes()} (but one entry). */
    public synchronized long retainedBytes() {
        return bytes;
    }

    public int capacity() {
        return capacity;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public ElfFile.Limits limits() {
        return limits;
    }

    public long timeoutMillis() {
        return time.timeoutMillis();
    }

    /** Reads that passed their deadline and are still blocked in the kernel. */
    public int stuckReads() {
        return time.stuck();
    }
}
