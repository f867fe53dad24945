package dev.inspector.core.model;

/**
 * What a mapping is, as decided by the classifier (see {@code Region.evidence} for why). Every output spells a kind
 * one way, its {@link #label()} ("thread-stack"): tables, {@code --kind}, every JSON document and the schema.
 */
public enum RegionKind {
    /** ELF headers and other read-only data mapped before .text (the first r--p segment of an ELF file). */
    ELF_HEADER,
    TEXT,
    RODATA,
    /** Read-only after relocation (PT_GNU_RELRO: .got, .dynamic, .init_array ...). */
    RELRO,
    DATA,
    /** Zero-initialised data: the file-backed tail of the data segment or the anonymous mapping after it. */
    BSS,
    /** The brk heap, {@code [heap]}. */
    HEAP,
    /**
     * An anonymous mapping malloc made for one large allocation (chunk header flags it IS_MMAPPED). Set only when that
     * evidence exists (the chunk header read from the target's memory): from maps alone such a mapping is
     * indistinguishable from other anonymous memory, and the classifier leaves it {@link #ANONYMOUS}.
     */
    MALLOC_MMAP,
    /** A glibc per-thread malloc arena (64 MiB-aligned reservation). */
    MALLOC_ARENA,
    /** The main thread's stack, {@code [stack]}. */
    STACK,
    /** A non-main thread's stack, attributed from its stack pointer. */
    THREAD_STACK,
    /** A PROT_NONE page directly below a stack. */
    GUARD,
    /** A PROT_NONE reservation that is not a guard page. */
    RESERVED,
    ANONYMOUS,
    NAMED_ANONYMOUS,
    SHARED_ANONYMOUS,
    /** System V shared memory ({@code /SYSV…}). */
    SYSV_SHM,
    MEMFD,
    /** A mapped file that is not an ELF image we could split (data files, fonts, locale archives ...). */
    FILE,
    /** A device file mapping ({@code /dev/…}) or another special file. */
    DEVICE,
    VDSO,
    VVAR,
    VVAR_VCLOCK,
    VSYSCALL,
    OTHER;

    private final String label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

    /** The one spelling of this kind in text and JSON: lower case, words joined by '-' ("thread-stack"). */
    public String label() {
        return label;
    }

    /**
     * The kind a label names: {@link #label()} exactly, or (as users type it) in any case with '_' for '-'. The enum
     * constant's name ("THREAD_STACK") is accepted too: snapshots of schema version 1 spelled kinds that way.
     */
    public static RegionKind fromLabel(String text) {
        String n = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (RegionKind k : values()) {
            if (k.name().equals(n)) {
                return k;
            }
        }
        return null;
    }
}
