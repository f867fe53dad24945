package dev.inspector.present;

/**
 * What a piece of output means, for whoever draws it: the CLI turns a role into an ANSI colour (or nothing), the
 * full-screen view into a Lanterna colour. Presenters choose roles; they never choose colours.
 */
public enum Role {
    /** Ordinary text. */
    PLAIN,
    /** A table's column headings. */
    HEADER,
    /** The label in front of a labelled line ("address", "page walk", ...). */
    LABEL,
    /** A total or summary (a table's totals row, the totals line under it). */
    TOTAL,
    /** Less important text: an explanation, a figure that is not there. */
    MUTED,
    /** Something a user should look at: a figure that could not be observed, a partial result. */
    WARNING,
    /** Something that went wrong, or a claim that differs from the evidence. */
    ERROR,
    /** A claim measured and met (a verdict "holds"). */
    HOLDS,
    /** A claim measured and met, with a difference worth stating (a verdict "holds with a nuance"). */
    NUANCE,
    /** A diff: present only after. */
    ADDED,
    /** A diff: present only before. */
    REMOVED,
    /** A diff: larger after (a mapping grew). */
    GROWN,
    /** A diff: smaller after (a mapping shrank). */
    SHRUNK,
    /** A diff: changed in another way (split, merged, permissions, usage). */
    CHANGED,
    /** A region of the kind carried beside the role ({@link Row#kind()}, {@link Span#kind()}). */
    KIND
}
