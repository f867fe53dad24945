package dev.inspector.core.analysis;

import dev.inspector.core.elf.ElfLookup;
import dev.inspector.core.model.Mapping;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the {@link Classifier} looks at, gathered by the caller.
 *
 * @param mappings            the process's maps lines, sorted by start address (as the kernel writes them)
 * @param exePath             the target of /proc/PID/exe, or null when it could not be read
 * @param elf                 a file-backed mapping → the ELF headers of the file it maps, or why there are none
 *                            (called at most once per distinct file per classification, with the file's first
 *                            mapping); e.g. {@code new MappedElf(pidDir, exePath, cache)}
 * @param threadStackPointers tid → stack pointer from task/TID/syscall, only for threads that were blocked or stopped
 * @param mainTid             the main thread's tid (== pid)
 * @param startBrk            stat field 47 (start_brk), 0 when unknown (the kernel shows 0 without ptrace access)
 * @param startStack          stat field 28 (startstack), 0 when unknown
 * @param pageSize            the host's base page size
 */
public record ClassifierInput(List<Mapping> mappings, String exePath, Function<Mapping, ElfLookup> elf,
                              Map<Integer, Long> threadStackPointers, int mainTid, long startBrk, long startStack,
                              int pageSize, int threads) {

    /** Without a thread count (0: unknown), as fixtures and tests of a single shape build it. */
    public ClassifierInput(List<Mapping> mappings, String exePath, Function<Mapping, ElfLookup> elf,
                           Map<Integer, Long> threadStackPointers, int mainTid, long startBrk, long startStack,
                           int pageSize) {
        this(mappings, exePath, elf, threadStackPointers, mainTid, startBrk, startStack, pageSize, 0);
    }

    public ClassifierInput {
        mappings = List.copyOf(mappings);
        Objects.requireNonNull(elf, "elf");
        threadStackPointers = threadStackPointers == null ? Map.of() : Map.copyOf(threadStackPointers);
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
        }
    }
}
