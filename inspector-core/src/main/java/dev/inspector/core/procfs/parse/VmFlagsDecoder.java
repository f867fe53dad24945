package dev.inspector.core.procfs.parse;

import dev.inspector.core.model.VmFlags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the {@code VmFlags} line of smaps. Meanings are the kernel's own words from
 * Documentation/filesystems/proc.rst (fs/proc/task_mmu.c show_smap_vma_flags); the kernel warns that codes come and
 * go between releases, so an unknown code is kept with a null meaning rather than rejected.
 */
public final class VmFlagsDecoder {

    private static final Map<String, VmFlags.Flag> KNOWN = new HashMap<>();

    static {
        String[][] table = {
                {"rd", "readable"},
                {"wr", "writeable"},
                {"ex", "executable"},
                {"sh", "shared"},
                {"mr", "may read"},
                {"mw", "may write"},
                {"me", "may execute"},
                {"ms", "may share"},
                {"gd", "stack segment grows down"},
                {"pf", "pure PFN range"},
                {"dw", "disabled write to the mapped file"},
                {"lo", "pages are locked in memory"},
                {"io", "memory mapped I/O area"},
                {"sr", "sequential read advise provided"},
                {"rr", "random read advise provided"},
                {"dc", "do not copy area on fork"},
                {"de", "do not expand area on remapping"},
                {"ac", "area is accountable"},
                {"nr", "swap space is not reserved for the area"},
                {"ht", "area uses huge tlb pages"},
                {"sf", "synchronous page fault"},
                // VM_NONLINEAR, removed in Linux 4.0; still decoded for old captures.
                {"nl", "non-linear mapping"},
                {"ar", "architecture specific flag"},
                {"wf", "wipe on fork"},
                {"dd", "do not include area into core dump"},
                {"sd", "soft dirty flag"},
                {"mm", "mixed map area"},
                {"hg", "huge page advise flag"},
                {"nh", "no huge page advise flag"},
                {"mg", "mergeable advise flag"},
                {"bt", "arm64 BTI guarded page"},
                {"mt", "arm64 MTE allocation tags are enabled"},
                {"um", "userfaultfd missing tracking"},
                {"uw", "userfaultfd wr-protect tracking"},
                {"ui", "userfaultfd minor fault"},
                {"ss", "shadow/guarded control stack page"},
                {"sl", "sealed"},
                {"lf", "lock on fault pages"},
                {"dp", "always lazily freeable mapping"},
                {"gu", "maybe contains guard regions"},
        };
        for (String[] row : table) {
            KNOWN.put(row[0], new VmFlags.Flag(row[0], row[1]));
        }
    }

    private VmFlagsDecoder() {
    }

    /** The kernel's meaning of a code, or null when this inspector does not know it. */
    public static String meaning(String code) {
        VmFlags.Flag f = KNOWN.get(code);
        return f == null ? null : f.meaning();
    }

    /** Decodes the text after "VmFlags:" (codes separated by spaces, trailing space allowed). */
    public static VmFlags decode(String raw) {
        String trimmed = raw.strip();
        List<VmFlags.Flag> flags = new ArrayList<>(12);
        int i = 0;
        int n = trimmed.length();
        while (i < n) {
            while (i < n && trimmed.charAt(i) == ' ') {
                i++;
            }
            int s = i;
            while (i < n && trimmed.charAt(i) != ' ') {
                i++;
            }
            if (i > s) {
                String code = trimmed.substring(s, i);
                VmFlags.Flag f = KNOWN.get(code);
                flags.add(f != null ? f : new VmFlags.Flag(code, null));
            }
        }
        return new VmFlags(trimmed, flags);
    }
}
