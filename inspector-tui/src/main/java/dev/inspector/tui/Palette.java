package dev.inspector.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import dev.inspector.core.model.RegionKind;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place where meaning becomes colour. With colour, kinds take the families the text views use (code blue,
 * read-only data cyan, data green, heap yellow, stacks magenta, kernel-provided red, guard and reserved dim). Without
 * colour (NO_COLOR, {@code --color=never}, a terminal that has none) every kind keeps a glyph of its own in the
 * address-space column and its name in the table, and the states use attributes (bold, reverse, underline) plus
 * their markers, so nothing is told by colour alone.
 */
public final class Palette {

    /** One cell style: foreground, background, attributes. */
    public record Style(TextColor fg, TextColor bg, Set<SGR> sgr) {
    }

    private static final TextColor DEF = TextColor.ANSI.DEFAULT;
    private static final Set<SGR> NONE = EnumSet.noneOf(SGR.class);

    private final boolean colour;
    /** Cells per paint (and kind, for {@link Paint#KIND}), made on first use. */
    private final Glyphs[] glyphs = new Glyphs[Paint.values().length * (RegionKind.values().length + 1)];

    private Palette(boolean colour) {
        this.colour = colour;
    }

    /** The cells of a paint, the same object every time: {@link Canvas} draws from them. */
    Glyphs glyphs(Paint p, RegionKind kind) {
        int k = p == Paint.KIND && kind != null && colour ? kind.ordinal() + 1 : 0;
        int i = p.ordinal() * (RegionKind.values().length + 1) + k;
        Glyphs gl = glyphs[i];
        if (gl == null) {
            gl = new Glyphs(style(p, kind));
            glyphs[i] = gl; // a race makes two equal tables: harmless
        }
        return gl;
    }

    public static Palette colour() {
        return new Palette(true);
    }

    public static Palette monochrome() {
        return new Palette(false);
    }

    /**
     * The palette for {@code --color} ({@code auto}, {@code always}, {@code never}) and the environment: {@code auto}
     * is monochrome when NO_COLOR is set (to anything but the empty string) or TERM names no colour terminal.
     */
    public static Palette forMode(String mode, Map<String, String> env) {
        switch (mode) {
            case "always":
                return colour();
            case "never":
                return monochrome();
            case "auto":
                String noColor = env.get("NO_COLOR");
                if (noColor != null && !noColor.isEmpty()) {
                    return monochrome();
                }
                return termHasColour(env.get("TERM")) ? colour() : monochrome();
            default:
                throw new IllegalArgumentException("--color must be auto, always or never, not '" + mode + "'");
        }
    }

    /** TERM values of terminals without colour (dumb, vt100/vt220, plain linux consoles without -color are coloured). */
    static boolean termHasColour(String term) {
        if (term == null || term.isEmpty()) {
            return false;
        }
        String t = term.toLowerCase(Locale.ROOT);
        if (t.equals("dumb") || t.startsWith("vt1") || t.startsWith("vt2") || t.endsWith("-m") || t.contains("-mono")) {
            return false;
        }
        return true;
    }

    public boolean hasColour() {
        return colour;
    }

    /** The style of a paint; {@code kind} is used with {@link Paint#KIND}. */
    public Style style(Paint p, RegionKind kind) {
        if (!colour) {
            return mono(p);
        }
        switch (p) {
            case HEADER:
            case TITLE:
                return new Style(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, NONE);
            case LABEL:
                return new Style(TextColor.ANSI.CYAN, DEF, NONE);
            case TOTAL:
                return new Style(DEF, DEF, EnumSet.of(SGR.BOLD));
            case MUTED:
                return new Style(TextColor.ANSI.BLACK_BRIGHT, DEF, NONE);
            case WARNING:
                return new Style(TextColor.ANSI.YELLOW_BRIGHT, DEF, EnumSet.of(SGR.BOLD));
            case ERROR:
                return new Style(TextColor.ANSI.RED_BRIGHT, DEF, EnumSet.of(SGR.BOLD));
            case ADDED:
            case HOLDS:
                return new Style(TextColor.ANSI.GREEN_BRIGHT, DEF, EnumSet.of(SGR.BOLD));
            case NUANCE:
                return new Style(TextColor.ANSI.CYAN_BRIGHT, DEF, NONE);
            case REMOVED:
                return new Style(TextColor.ANSI.RED, DEF, NONE);
            case GROWN:
                return new Style(TextColor.ANSI.GREEN_BRIGHT, DEF, NONE);
            case SHRUNK:
                return new Style(TextColor.ANSI.MAGENTA_BRIGHT, DEF, NONE);
            case CHANGED:
                return new Style(TextColor.ANSI.YELLOW_BRIGHT, DEF, NONE);
            case KIND:
                return new Style(kindColour(kind), DEF, kind == RegionKind.GUARD ? EnumSet.of(SGR.BOLD) : NONE);
            case SELECTED:
                return new Style(TextColor.ANSI.BLACK, TextColor.ANSI.WHITE, NONE);
            case CURSOR:
                return new Style(TextColor.ANSI.BLACK, TextColor.ANSI.YELLOW_BRIGHT, NONE);
            case BANNER:
                return new Style(TextColor.ANSI.WHITE_BRIGHT, TextColor.ANSI.RED, EnumSet.of(SGR.BOLD));
            case KEYS:
                return new Style(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, NONE);
            default:
                return new Style(DEF, DEF, NONE);
        }
    }

    private static Style mono(Paint p) {
        switch (p) {
            case HEADER:
            case TITLE:
            case SELECTED:
            case KEYS:
                return new Style(DEF, DEF, EnumSet.of(SGR.REVERSE));
            case CURSOR:
            case BANNER:
                return new Style(DEF, DEF, EnumSet.of(SGR.REVERSE, SGR.BOLD));
            case TOTAL:
            case WARNING:
            case ERROR:
            case ADDED:
            case HOLDS:
                return new Style(DEF, DEF, EnumSet.of(SGR.BOLD));
            case GROWN:
            case SHRUNK:
            case CHANGED:
            case NUANCE:
                return new Style(DEF, DEF, EnumSet.of(SGR.UNDERLINE));
            default:
                return new Style(DEF, DEF, NONE);
        }
    }

    /** The colour of a kind, by family. */
    static TextColor kindColour(RegionKind k) {
        if (k == null) {
            return DEF;
        }
        switch (k) {
            case TEXT:
                return TextColor.ANSI.BLUE_BRIGHT;
            case RODATA:
            case RELRO:
            case ELF_HEADER:
                return TextColor.ANSI.CYAN;
            case DATA:
            case BSS:
                return TextColor.ANSI.GREEN;
            case HEAP:
            case MALLOC_ARENA:
            case MALLOC_MMAP:
                return TextColor.ANSI.YELLOW;
            case STACK:
            case THREAD_STACK:
                return TextColor.ANSI.MAGENTA;
            case GUARD:
                return TextColor.ANSI.RED_BRIGHT;
            case RESERVED:
                return TextColor.ANSI.BLACK_BRIGHT;
            case VDSO:
            case VVAR:
            case VVAR_VCLOCK:
            case VSYSCALL:
                return TextColor.ANSI.RED;
            case SHARED_ANONYMOUS:
            case SYSV_SHM:
            case MEMFD:
                return TextColor.ANSI.CYAN_BRIGHT;
            case FILE:
            case DEVICE:
                return TextColor.ANSI.WHITE;
            default:
                return DEF;
        }
    }

    /**
     * The glyph that fills a kind's bar in the address-space column: distinct per family, so the column reads
     * without colour too (and the legend in the help says which is which).
     */
    public static char glyph(RegionKind k) {
        switch (k) {
            case TEXT:
                return 'T';
            case RODATA:
            case RELRO:
            case ELF_HEADER:
                return 'R';
            case DATA:
                return 'D';
            case BSS:
                return 'B';
            case HEAP:
                return 'H';
            case MALLOC_ARENA:
            case MALLOC_MMAP:
                return 'M';
            case STACK:
            case THREAD_STACK:
                return 'S';
            case GUARD:
                return 'G';
            case RESERVED:
                return '-';
            case ANONYMOUS:
            case NAMED_ANONYMOUS:
                return 'a';
            case SHARED_ANONYMOUS:
            case SYSV_SHM:
            case MEMFD:
                return 's';
            case FILE:
            case DEVICE:
                return 'f';
            case VDSO:
            case VVAR:
            case VVAR_VCLOCK:
            case VSYSCALL:
                return 'V';
            default:
                return '?';
        }
    }
}
