package dev.inspector.core.model;

import java.util.List;

/**
 * The {@code VmFlags} line of an smaps record: the raw two-letter codes as the kernel wrote them, plus each code with
 * its meaning (from the kernel's Documentation/filesystems/proc.rst). Unknown codes are kept with a null meaning.
 */
public record VmFlags(String raw, List<Flag> flags) {

    public record Flag(String code, String meaning) {
    }

    public VmFlags {
        flags = List.copyOf(flags);
    }

    public boolean has(String code) {
        for (Flag f : flags) {
            if (f.code().equals(code)) {
                return true;
            }
        }
        return false;
    }
}
