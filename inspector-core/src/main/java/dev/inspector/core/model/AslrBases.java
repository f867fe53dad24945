package dev.inspector.core.model;

/**
 * The addresses ASLR randomises, each null when it cannot be known. {@code heapStart} is start_brk (stat field 47),
 * {@code brk} the current program break (the end of [heap], or start_brk when there is no heap yet), {@code stackTop}
 * the end of [stack], {@code mmapBase} the highest library/anonymous mmap region's top as seen from maps.
 * {@code personalityNoRandomize} is the ADDR_NO_RANDOMIZE bit of /proc/PID/personality (set by {@code setarch -R}),
 * null when that file could not be read.
 */
public record AslrBases(Long exeBase, Long heapStart, Long brk, Long stackTop, Long mmapBase, Long vdso,
                        int randomizeVaSpace, Boolean personalityNoRandomize) {
}
