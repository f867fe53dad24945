package dev.inspector.core.elf;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small bounded LRU cache of parsed ELF headers keyed by (path, device, inode, mtime, size), so a process with 300
 * libraries, or 60,000 mappings of one file, costs one parse per file (plus one stat per lookup). A file replaced in
 * place (new inode) or rewritten (new mtime) is parsed again. Files that are not ELF are cached too, as their
 * {@link BadInput}, so a data file mapped many times is not re-read; {@link AccessDenied} is not cached.
 * Thread-safe.
 */
public final class ElfCache {

    public static final int DEFAULT_CAPACITY = 1024;

    private record Key(String path, Object dev, Object ino, FileTime mtime, long size) {
        // Written out: a record's generated equals/hashCode are bootstrapped through method handles on first use,
        // which costs more start-up time than a short maps command spends classifying.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && size == k.size && path.equals(k.path) && Objects.equals(dev, k.dev)
                    && Objects.equals(ino, k.ino) && Objects.equals(mtime, k.mtime);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, dev, ino, mtime, size);
        }
    }

    /** Either a parsed file or the reason it is not one. */
    private record Entry(ElfFile elf, BadInput error) {
    }

    private final int capacity;
    private final Map<Key, Entry> map;
    private long parses;
    private long hits;

    public ElfCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > ElfCache.this.capacity;
            }
        };
    }

    public ElfCache() {
        this(DEFAULT_CAPACITY);
    }

    /** The parsed headers of {@code path}; throws {@link BadInput} (not ELF, truncated, missing) or {@link AccessDenied}. */
    public ElfFile get(Path path) {
        Key key = keyOf(path);
        Entry e;
        synchronized (this) {
            e = map.get(key);
            if (e != null) {
                hits++;
            }
        }
        if (e == null) {
            try {
                e = new Entry(ElfFile.read(path), null);
            } catch (BadInput bad) {
                e = new Entry(null, bad);
            }
            synchronized (this) {
                parses++;
                map.put(key, e);
            }
        }
        if (e.error != null) {
            throw e.error;
        }
        return e.elf;
    }

    /**
     * The parsed headers, or empty when the file is not ELF, unreadable or gone: the shape the
     * {@code Classifier} takes (it says in each region's evidence when no ELF headers were available).
     */
    public Optional<ElfFile> find(Path path) {
        try {
            return Optional.of(get(path));
        } catch (InspectorException e) {
            return Optional.empty();
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

    public int capacity() {
        return capacity;
    }

    private static Key keyOf(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,lastModifiedTime,size");
            return new Key(path.toString(), a.get("dev"), a.get("ino"), (FileTime) a.get("lastModifiedTime"),
                    (Long) a.get("size"));
        } catch (AccessDeniedException e) {
            throw new AccessDenied(path, "the ELF file must be readable by the inspecting user");
        } catch (NoSuchFileException e) {
            throw new BadInput(path + ": no such file");
        } catch (IOException | UnsupportedOperationException e) {
            throw new BadInput(path + ": cannot stat: " + e.getMessage(), e);
        }
    }
}
