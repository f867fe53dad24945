package dev.inspector.present;

import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;

import java.util.List;

/** Names of region kinds in text views (the TUI uses the same names; colours are chosen by the renderer). */
public final class Kinds {
    /** Width budget of the KIND cell in tables: wide cells pad every row of a 60,000-row table. */
    static final int MAX_CELL = 44;

    private Kinds() {
    }

    /** "text", "thread-stack", "named-anonymous" ...: the kind's one spelling ({@link RegionKind#label()}). */
    public static String name(RegionKind k) {
        return k.label();
    }

    /** Parses a kind name as {@link #name} spells it (case-insensitive, '-' or '_'). */
    public static RegionKind parse(String s) {
        RegionKind k = RegionKind.fromLabel(s);
        if (k == null) {
            StringBuilder all = new StringBuilder();
            for (RegionKind x : RegionKind.values()) {
                all.append(all.length() == 0 ? "" : ", ").append(name(x));
            }
            throw new IllegalArgumentException("unknown kind '" + s + "' (known: " + all + ")");
        }
        return k;
    }

    /** The KIND cell: the kind, the thread for stacks, and the ELF sections where known. */
    public static String cell(Region r) {
        if (r.tid() == null && r.sections().isEmpty()) {
            return name(r.kind()); // most rows of a big process: plain anonymous memory
        }
        StringBuilder b = new StringBuilder(name(r.kind()));
        if (r.tid() != null) {
            b.append(" tid=").append(r.tid());
        }
        // The table shows the sections that fit in MAX_CELL characters (.text comes early in a code segment) and
        // counts the rest; --json has all of them.
        List<String> sec = r.sections();
        if (!sec.isEmpty()) {
            int shown = 0;
            int base = b.length();
            for (String x : sec) {
                String more = ",+" + (sec.size() - shown);
                if (shown > 0 && b.length() - base + 1 + x.length() + more.length() > MAX_CELL - base) {
                    break;
                }
                b.append(shown == 0 ? ' ' : ',').append(x);
                shown++;
            }
            if (shown < sec.size()) {
                b.append(",+").append(sec.size() - shown);
            }
        }
        return Escape.forTerminal(b.toString());
    }

    /**
     * The NAME cell: the pathname with the target's text escaped for the terminal. A file name is escaped from its
     * decoded form, so a newline in it shows as {@code \n} (not the kernel's {@code \012}), a literal backslash as
     * {@code \\}, and a byte that is not part of valid UTF-8 as {@code \xNN}.
     */
    public static String nameCell(dev.inspector.core.model.MappingPath p) {
        if (p.isFile()) {
            return (p.nameHex() != null ? Escape.bytes(p.nameBytes()) : Escape.forTerminal(p.name()))
                    + (p.deleted() ? " (deleted)" : "");
        }
        return Escape.forTerminal(p.kernelText());
    }

    /**
     * A mapping as a maps line (start-end perms offset dev inode name), its name as {@link #nameCell} shows it: the
     * line translate and the lab print.
     */
    public static String mapsLine(dev.inspector.core.model.Mapping m) {
        String name = nameCell(m.path());
        return Long.toHexString(m.start()) + "-" + Long.toHexString(m.end()) + " " + m.perms() + " "
                + String.format("%08x", m.offset()) + " " + m.device() + " " + m.inode()
                + (name.isEmpty() ? "" : " " + name);
    }
}
