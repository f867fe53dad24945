package dev.inspector.present;

import dev.inspector.core.model.RegionKind;

/**
 * How text is drawn on the command line: ANSI colouring, on only when the output is a terminal and the user did not
 * opt out (NO_COLOR, --color=never), and whether the locale allows only ASCII. Every text that reaches a terminal
 * through here has been escaped by {@link Escape} first. {@link #code} is the one place where a {@link Role} becomes a
 * colour on the command line.
 */
public final class Style {
    public static final String RED = "31";
    public static final String GREEN = "32";
    public static final String YELLOW = "33";
    public static final String BLUE = "34";
    public static final String MAGENTA = "35";
    public static final String CYAN = "36";
    public static final String DIM = "2";
    public static final String BOLD = "1";

    private static final Style PLAIN = new Style(false, false);
    private static final Style ANSI = new Style(true, false);

    private final boolean enabled;
    private final boolean ascii;

    private Style(boolean enabled, boolean ascii) {
        this.enabled = enabled;
        this.ascii = ascii;
    }

    public static Style plain() {
        return PLAIN;
    }

    public static Style ansi() {
        return ANSI;
    }

    /**
     * "auto" colours when standard output is a terminal, NO_COLOR is unset or empty and TERM is set and not "dumb";
     * "always" and "never" force it. Case does not matter ("NEVER").
     */
    public static Style forMode(String mode, boolean terminal, java.util.Map<String, String> env) {
        switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "always":
                return ANSI;
            case "never":
                return PLAIN;
            case "auto":
                String noColor = env.get("NO_COLOR");
                String term = env.get("TERM");
                return terminal && (noColor == null || noColor.isEmpty()) && term != null && !"dumb".equals(term)
                        ? ANSI : PLAIN;
            default:
                throw new IllegalArgumentException("--color must be auto, always or never, not '" + mode + "'");
        }
    }

    /**
     * This style for a locale whose character set is not UTF-8 ({@code ascii} true): the renderer then writes only
     * ASCII, its own glyphs replaced ({@link Glyphs#toAscii}), anything else escaped.
     */
    public Style ascii(boolean ascii) {
        return ascii == this.ascii ? this : new Style(enabled, ascii);
    }

    /** True when only ASCII may be written (a non-UTF-8 locale, such as C or POSIX). */
    public boolean ascii() {
        return ascii;
    }

    public boolean enabled() {
        return enabled;
    }

    public String apply(String code, String text) {
        return enabled && code != null ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }

    public String bold(String text) {
        return apply(BOLD, text);
    }

    /** The SGR code that draws a role (and, for {@link Role#KIND}, the region kind), or null to draw it plain. */
    public static String code(Role role, RegionKind kind) {
        switch (role) {
            case HEADER:
            case LABEL:
            case TOTAL:
                return BOLD;
            case MUTED:
                return DIM;
            case WARNING:
            case GROWN:
            case SHRUNK:
            case CHANGED:
                return YELLOW;
            case ERROR:
            case REMOVED:
                return RED;
            case ADDED:
            case HOLDS:
                return GREEN;
            case NUANCE:
                return CYAN;
            case KIND:
                return kind == null ? null : kindCode(kind);
            default:
                return null;
        }
    }

    /** A colour per family of kinds: code blue, read-only data cyan, data green, heap yellow, stacks magenta. */
    private static String kindCode(RegionKind k) {
        switch (k) {
            case TEXT:
                return BLUE;
            case RODATA:
            case RELRO:
            case ELF_HEADER:
                return CYAN;
            case DATA:
            case BSS:
                return GREEN;
            case HEAP:
            case MALLOC_ARENA:
            case MALLOC_MMAP:
                return YELLOW;
            case STACK:
            case THREAD_STACK:
                return MAGENTA;
            case GUARD:
            case RESERVED:
                return DIM;
            case VDSO:
            case VVAR:
            case VVAR_VCLOCK:
            case VSYSCALL:
                return RED;
            default:
                return null;
        }
    }
}
