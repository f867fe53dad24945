package dev.inspector.present;

/**
 * ANSI colouring, on only when the output is a terminal and the user did not opt out (NO_COLOR, --color=never).
 * Every text that reaches a terminal through here has been escaped by {@link Escape} first.
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

    private static final Style PLAIN = new Style(false);
    private static final Style ANSI = new Style(true);

    private final boolean enabled;

    private Style(boolean enabled) {
        this.enabled = enabled;
    }

    public static Style plain() {
        return PLAIN;
    }

    public static Style ansi() {
        return ANSI;
    }

    /** "auto" colours when stdout is a terminal and NO_COLOR is unset; "always" and "never" force it. */
    public static Style forMode(String mode) {
        switch (mode) {
            case "always":
                return ANSI;
            case "never":
                return PLAIN;
            case "auto":
                String noColor = System.getenv("NO_COLOR");
                boolean tty = System.console() != null;
                String term = System.getenv("TERM");
                return tty && (noColor == null || noColor.isEmpty()) && term != null && !"dumb".equals(term)
                        ? ANSI : PLAIN;
            default:
                throw new IllegalArgumentException("--color must be auto, always or never, not '" + mode + "'");
        }
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
}
