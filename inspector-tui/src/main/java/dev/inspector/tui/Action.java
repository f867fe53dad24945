package dev.inspector.tui;

/** What a key asks for; {@link Keys} maps keys to actions and lists them for the help overlay. */
public enum Action {
    UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, END, LEFT, RIGHT,
    /** Table: look into the heat map of the selection; heat map: translate the address under the cursor. */
    ENTER,
    /** Close an overlay, leave the heat map, cancel a prompt. */
    ESCAPE,
    /** Cycle the lower pane: detail, summary by kind, changes. */
    PANE,
    /** Give the lower pane the whole height (and back). */
    MAXIMIZE,
    SEARCH, SEARCH_NEXT, FILTER, SORT_NEXT, SORT_PREVIOUS, SORT_INVERT, GOTO,
    PAUSE, REFRESH, FASTER, SLOWER,
    ZOOM_IN, ZOOM_OUT, FRAMES,
    BASELINE, SAVE, HELP, QUIT, INTERRUPT,
    STEP_NEXT, STEP_PREVIOUS, STEP_FIRST, STEP_LAST, JUMP,
    LAB_NEXT
}
