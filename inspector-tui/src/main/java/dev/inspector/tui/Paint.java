package dev.inspector.tui;

/**
 * What a piece of the screen means; {@link Palette} alone turns it into colours (or, without colour, into attributes
 * and glyphs). The first members mirror the presenters' roles (ordinary text, headings, totals, diff states); the
 * rest belong to a full-screen view (the selection, the cursor of the heat map, banners, the key bar).
 */
public enum Paint {
    PLAIN,
    HEADER,
    LABEL,
    TOTAL,
    MUTED,
    WARNING,
    ERROR,
    /** A claim measured and met. */
    HOLDS,
    /** A claim met with a nuance worth stating. */
    NUANCE,
    ADDED,
    REMOVED,
    GROWN,
    SHRUNK,
    CHANGED,
    /** A region of a kind: coloured by the kind. */
    KIND,
    /** The selected row of the table or of the address-space column. */
    SELECTED,
    /** The cell under the heat-map cursor. */
    CURSOR,
    /** The title bar of a pane or overlay. */
    TITLE,
    /** A banner: the target exited, a failure, a paused or replayed view. */
    BANNER,
    /** The key hints at the bottom. */
    KEYS
}
