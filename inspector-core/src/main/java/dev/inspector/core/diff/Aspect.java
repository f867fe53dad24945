package dev.inspector.core.diff;

/** One way a mapping (or a group of mappings) changed between two snapshots; a change may have several. */
public enum Aspect {
    /** Present only in the second snapshot. */
    ADDED,
    /** Present only in the first snapshot. */
    REMOVED,
    /** The end moved higher (how the brk heap grows). */
    GREW_UP,
    /** The start moved lower (how [stack] and other VM_GROWSDOWN mappings grow). */
    GREW_DOWN,
    /** The end moved lower. */
    SHRANK_AT_TOP,
    /** The start moved higher. */
    SHRANK_AT_BOTTOM,
    /** One mapping of the first snapshot is covered by several in the second (mprotect or munmap of a part). */
    SPLIT,
    /** Several mappings of the first snapshot became one (the kernel merged compatible neighbours). */
    MERGED,
    /** The permissions of some part changed. */
    PERMS,
    /** Rss, Pss or Swap (smaps) changed. */
    USAGE,
    /**
     * Something else about the region changed: its classification (kind, owner, sections, thread), other smaps figures,
     * residency, the file's deleted flag. Alone, it is usually noise for a reader; it matters for timelines.
     */
    DETAILS;

    /** The one spelling of this aspect in text and JSON: "grew-up", "shrank-top", "split" ... */
    public String label() {
        switch (this) {
            case SHRANK_AT_TOP:
                return "shrank-top";
            case SHRANK_AT_BOTTOM:
                return "shrank-bottom";
            default:
                return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
