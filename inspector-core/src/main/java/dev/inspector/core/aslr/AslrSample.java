package dev.inspector.core.aslr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The layout of one run: the base of each region kind ({@link AslrStats} names them: program, heap, stack, loader,
 * vdso, mmap, and {@code lib:NAME} for each library mapped by then) and each library's extent in bytes (first to last
 * byte of its mappings); the run's pid and persona word (-1 when unreadable).
 */
public record AslrSample(int pid, long personality, Map<String, Long> bases, Map<String, Long> librarySizes) {

    public AslrSample {
        bases = Collections.unmodifiableMap(new LinkedHashMap<>(bases));
        librarySizes = Collections.unmodifiableMap(new LinkedHashMap<>(librarySizes));
    }
}
