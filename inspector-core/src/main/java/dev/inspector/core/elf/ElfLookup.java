package dev.inspector.core.elf;

import java.util.Optional;

/**
 * The ELF headers of a mapped file, or why there are none. {@code note} says how the headers were obtained when that
 * is worth telling (a fallback path was used, something was cut to stay within bounds), and {@code problem} why no
 * headers could be used (not a regular file, identity differs from the mapping, not ELF ...). Both are one phrase for
 * an evidence line, null when there is nothing to say.
 */
public record ElfLookup(ElfFile elf, String problem, String note) {

    private static final ElfLookup NOT_LOOKED_UP = new ElfLookup(null, "ELF headers not read", null);

    public static ElfLookup found(ElfFile elf, String note) {
        return new ElfLookup(elf, null, note);
    }

    public static ElfLookup missing(String problem, String note) {
        return new ElfLookup(null, problem, note);
    }

    /** For callers that read no files (a fixture tree): says so. */
    public static ElfLookup notLookedUp() {
        return NOT_LOOKED_UP;
    }

    public Optional<ElfFile> file() {
        return Optional.ofNullable(elf);
    }

    /** The problem and the note joined for an evidence line ("not a regular file (a FIFO); ..."). */
    public String explanation() {
        if (problem == null) {
            return note == null ? "" : note;
        }
        return note == null ? problem : problem + "; " + note;
    }
}
