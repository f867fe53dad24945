package dev.inspector.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.List;

/**
 * The keys, htop's where htop has one (arrows, PgUp/PgDn, Home/End, {@code /} search, {@code \} filter, F6 or
 * {@code <}/{@code >} sort, {@code I} invert, Space pause, F1 or {@code ?} help, {@code q} or F10 quit). One table
 * maps keys to actions and is the help overlay's text, so the two cannot disagree.
 */
public final class Keys {

    /** One line of help: the keys as shown, what they do, the action, and where it applies. */
    public record Binding(String keys, String help, Action action, String where) {
    }

    public static final List<Binding> BINDINGS = List.of(
            new Binding("↑↓ PgUp PgDn Home End", "move the selection (in the heat map: the cursor)", null, "map"),
            new Binding("← →", "heat map: move the cursor (scrolls when zoomed)", null, "map"),
            new Binding("Enter", "table: into the heat map; heat map: translate (demo: next step)", Action.ENTER, "map"),
            new Binding("Esc", "close a popup, leave the heat map, cancel a prompt", Action.ESCAPE, "all"),
            new Binding("Tab", "lower pane: detail / summary by kind / changes (demo: step)", Action.PANE,
                    "map"),
            new Binding("d", "lower pane full height (and back)", Action.MAXIMIZE, "map"),
            new Binding("/  n", "search names and kinds; n: next match", Action.SEARCH, "all"),
            new Binding("\\", "filter: words match name or kind; kind:heap,stack perm:w", Action.FILTER, "all"),
            new Binding("F6 >  <  I", "sort by the next / previous column; I: invert", Action.SORT_NEXT, "all"),
            new Binding("g", "go to an address (hex)", Action.GOTO, "map"),
            new Binding("z  Z", "heat map: zoom in (fewer pages per cell) / out", Action.ZOOM_IN, "map"),
            new Binding("p", "heat map: read frames too (PFN runs, kpageflags; root)", Action.FRAMES, "map"),
            new Binding("Space", "pause / resume (replay: play / stop)", Action.PAUSE, "live"),
            new Binding("r", "refresh now", Action.REFRESH, "live"),
            new Binding("+  -", "refresh faster / slower", Action.FASTER, "live"),
            new Binding("b", "set the baseline to now (again: clear it)", Action.BASELINE, "live"),
            new Binding("s", "save the shown snapshot as JSON", Action.SAVE, "map"),
            new Binding("] [  } {  j", "replay: next / previous point, last / first, jump to N", Action.STEP_NEXT,
                    "replay"),
            new Binding("x", "lab, demo: go on to the next step now", Action.LAB_NEXT, "lab"),
            new Binding("? F1", "this help", Action.HELP, "all"),
            new Binding("q F10 Ctrl-C", "quit", Action.QUIT, "all"));

    private Keys() {
    }

    /** The action of a key, or null (a key that means nothing here). */
    public static Action action(KeyStroke k) {
        if (k == null) {
            return null;
        }
        KeyType t = k.getKeyType();
        switch (t) {
            case ArrowUp:
                return Action.UP;
            case ArrowDown:
                return Action.DOWN;
            case ArrowLeft:
                return Action.LEFT;
            case ArrowRight:
                return Action.RIGHT;
            case PageUp:
                return Action.PAGE_UP;
            case PageDown:
                return Action.PAGE_DOWN;
            case Home:
                return Action.HOME;
            case End:
                return Action.END;
            case Enter:
                return Action.ENTER;
            case Escape:
                return Action.ESCAPE;
            case Tab:
                return Action.PANE;
            case F1:
                return Action.HELP;
            case F6:
                return Action.SORT_NEXT;
            case F10:
                return Action.QUIT;
            case EOF:
                return Action.QUIT;
            case Character:
                break;
            default:
                return null;
        }
        char c = k.getCharacter();
        if (k.isCtrlDown()) {
            return c == 'c' || c == 'C' ? Action.INTERRUPT : null;
        }
        switch (c) {
            case 'q':
                return Action.QUIT;
            case '?':
            case 'h':
                return Action.HELP;
            case '/':
                return Action.SEARCH;
            case 'n':
                return Action.SEARCH_NEXT;
            case '\\':
                return Action.FILTER;
            case '>':
            case '.':
                return Action.SORT_NEXT;
            case '<':
            case ',':
                return Action.SORT_PREVIOUS;
            case 'I':
                return Action.SORT_INVERT;
            case 'g':
                return Action.GOTO;
            case ' ':
                return Action.PAUSE;
            case 'r':
                return Action.REFRESH;
            case '+':
            case '=':
                return Action.FASTER;
            case '-':
                return Action.SLOWER;
            case 'z':
                return Action.ZOOM_IN;
            case 'Z':
                return Action.ZOOM_OUT;
            case 'p':
                return Action.FRAMES;
            case 'b':
                return Action.BASELINE;
            case 's':
                return Action.SAVE;
            case 'd':
                return Action.MAXIMIZE;
            case ']':
                return Action.STEP_NEXT;
            case '[':
                return Action.STEP_PREVIOUS;
            case '}':
                return Action.STEP_LAST;
            case '{':
                return Action.STEP_FIRST;
            case 'j':
                return Action.JUMP;
            case 'x':
                return Action.LAB_NEXT;
            default:
                return null;
        }
    }
}
