package dev.inspector.tui;

import dev.inspector.present.KindSummary;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.session.TargetExit;
import dev.inspector.present.Format;
import dev.inspector.present.Kinds;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The state of the map screen, apart from any terminal: the point shown, what is selected and scrolled, the filter,
 * sort and search, highlights and baseline, the heat map's zoom and cursor, overlays and prompts. Keys come in as
 * {@link KeyStroke}s and go out as {@link Effect}s (refresh now, save, translate, read a heat map ...) that the
 * {@link TuiApp} carries out off this thread; results come back through {@link #detail}, {@link #translated},
 * {@link #message}. {@link MapScreen} draws it. Single-threaded: the screen's thread owns it.
 */
public final class MapModel {

    public enum Mode { LIVE, REPLAY, LAB, DEMO }

    /** The lower pane; STORY (a demo's narration, claims and verdicts) exists only in a demo. */
    public enum Pane { DETAIL, SUMMARY, CHANGES, STORY }

    public enum Focus { TABLE, HEAT }

    public enum Overlay { NONE, HELP, POPUP }

    public enum PromptKind {
        SEARCH("search: "), FILTER("filter: "), GOTO("go to address: 0x"), SAVE("save snapshot to: "),
        JUMP("jump to point: ");

        private final String label;

        PromptKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Columns the table sorts by; sizes sort largest first unless inverted. */
    public enum SortKey {
        ADDRESS("START", false), SIZE("SIZE", true), RSS("RSS", true), PSS("PSS", true), SWAP("SWAP", true),
        PERM("PERM", false), KIND("KIND", false), NAME("NAME", false);

        private final String column;
        private final boolean largestFirst;

        SortKey(String column, boolean largestFirst) {
            this.column = column;
            this.largestFirst = largestFirst;
        }

        public String column() {
            return column;
        }
    }

    /** A table row: a live region with its mark, or a mapping that went away (ghost). */
    public record Row(Region region, Highlights.Mark mark, Highlights.Ghost ghost) {
        public boolean removed() {
            return ghost != null;
        }
    }

    /** Which rows to show: kinds (empty: all), permission letters all required, words all found in name or kind. */
    public record Filter(Set<RegionKind> kinds, String perms, List<String> words) {
        static final Filter NONE = new Filter(Set.of(), "", List.of());

        public boolean isEmpty() {
            return kinds.isEmpty() && perms.isEmpty() && words.isEmpty();
        }

        public boolean accepts(Region r) {
            if (!kinds.isEmpty() && !kinds.contains(r.kind())) {
                return false;
            }
            String p = r.mapping().perms().toString();
            for (char c : perms.toCharArray()) {
                if (p.indexOf(c) < 0) {
                    return false;
                }
            }
            if (!words.isEmpty()) {
                String hay = (Kinds.name(r.kind()) + " " + r.mapping().path().kernelText()).toLowerCase(Locale.ROOT);
                for (String w : words) {
                    if (!hay.contains(w)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Parses {@code kind:heap,stack perm:w words...}; IllegalArgumentException naming a bad kind or permission.
         */
        public static Filter parse(String text) {
            Set<RegionKind> kinds = EnumSet.noneOf(RegionKind.class);
            StringBuilder perms = new StringBuilder();
            List<String> words = new ArrayList<>();
            for (String t : text.trim().split("\\s+")) {
                if (t.isEmpty()) {
                    continue;
                }
                String low = t.toLowerCase(Locale.ROOT);
                if (low.startsWith("kind:") || low.startsWith("k:")) {
                    for (String k : low.substring(low.indexOf(':') + 1).split(",")) {
                        if (!k.isEmpty()) {
                            kinds.add(Kinds.parse(k));
                        }
                    }
                } else if (low.startsWith("perm:") || low.startsWith("p:")) {
                    String p = low.substring(low.indexOf(':') + 1);
                    for (char c : p.toCharArray()) {
                        if ("rwxsp".indexOf(c) < 0) {
                            throw new IllegalArgumentException("perm: takes letters of r, w, x, s, p, not '" + c + "'");
                        }
                    }
                    perms.append(p);
                } else {
                    words.add(low);
                }
            }
            return new Filter(kinds, perms.toString(), words);
        }
    }

    private static final List<Duration> INTERVALS = List.of(Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30));

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Mode mode;
    private final String title;
    private Layout layout = Layout.of(100, 30, false);
    private boolean maximized;

    private Frame frame;
    private KindSummary summary;
    private Highlights live = Highlights.none();
    private Highlights marks = Highlights.none();
    private Snapshot baseline;
    private List<Row> rows = List.of();
    private int selected;
    private int scroll;
    private long selectedStart = -1;

    private SortKey sort = SortKey.ADDRESS;
    private boolean inverted;
    private Filter filter = Filter.NONE;
    private String filterText = "";
    private String search = "";

    private Pane pane = Pane.DETAIL;
    private Focus focus = Focus.TABLE;
    private Overlay overlay = Overlay.NONE;
    private String popupTitle = "";
    private List<Styled> popup = List.of();
    private int popupScroll;
    private PromptKind prompt;
    private final StringBuilder promptText = new StringBuilder();

    private String message;
    private Paint messagePaint = Paint.PLAIN;
    private TargetExit exit;
    private String failure;

    private boolean paused;
    private boolean playing;
    private Duration interval;
    private String labStatus;
    private List<Styled> story = List.of();
    /** An address a step touched, selected at the next three points too (until a key), then kept by the selection. */
    private Long wantAddress;
    private int wantPoints;
    private Paint labPaint = Paint.PLAIN;

    /** Heat map: pages per cell (0: the whole mapping fits), the window's first page, the cursor cell, frames. */
    private long zoom;
    private long heatOffset;
    private int heatCursor;
    private boolean frames;
    private Detail detail;
    private long generation;
    private Effect.LoadDetail requested;

    public MapModel(Mode mode, String title, Duration interval) {
        this.mode = mode;
        this.title = title;
        this.interval = interval;
        if (mode == Mode.DEMO) {
            pane = Pane.STORY;
        }
    }

    /** The panes this mode offers, in Tab order. */
    public List<Pane> panes() {
        return mode == Mode.DEMO ? List.of(Pane.STORY, Pane.DETAIL, Pane.SUMMARY, Pane.CHANGES)
                : List.of(Pane.DETAIL, Pane.SUMMARY, Pane.CHANGES);
    }

    // ---- inputs --------------------------------------------------------------------------------------------------

    /** The terminal's size changed (or was first known); returns a heat-map read when its cell count changed. */
    public List<Effect> resize(int cols, int rows) {
        layout = Layout.of(cols, rows, maximized);
        keepInView();
        return detailEffects(false);
    }

    /** A new point. Live marks age; against a baseline they are recomputed. The selection follows its mapping. */
    public List<Effect> frame(Frame f) {
        boolean first = frame == null;
        Region before = selectedRegion();
        frame = f;
        summary = f.summary();
        if (f.replay()) {
            exit = null; // the recording's exit belongs to its last point; the source says it again there
            live = Highlights.none().next(f.sincePrevious());
        } else {
            live = live.next(f.sincePrevious());
        }
        marks = baseline != null && f.sinceBaseline() != null ? Highlights.against(f.sinceBaseline()) : live;
        rebuild();
        if (first) {
            selectInitial();
        }
        if (wantAddress != null) {
            // Asked again for three points: a point read before the step may arrive after the request (the mapping
            // not yet split), and the selection would then follow that old mapping. A key ends it sooner.
            selectAddress(wantAddress);
            if (++wantPoints >= 3) {
                wantAddress = null;
            }
        }
        // The heat map is read again when the selected mapping's figures moved (or every tenth point, for pages that
        // changed state without changing the counts): an idle process costs no pagemap scan and no second draw.
        Region now = selectedRegion();
        boolean same = before != null && now != null && before.mapping().equals(now.mapping())
                && sameUsage(before.smaps(), now.smaps());
        return detailEffects(!same || ++unchangedPoints % 10 == 0);
    }

    private int unchangedPoints;

    private static boolean sameUsage(Smaps a, Smaps b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.rss() == b.rss() && a.swap() == b.swap() && a.get("Anonymous") == b.get("Anonymous")
                && a.get("AnonHugePages") == b.get("AnonHugePages");
    }

    /**
     * The view moves to another process (a demo's forked child, then its parent again): the previous one's exit, its
     * failure and its change marks are not this process's. The next point starts the marks afresh.
     */
    public void follow() {
        exit = null;
        failure = null;
        live = Highlights.none();
        marks = live;
    }

    /**
     * The target is gone: the view freezes on the last point and says how it ended. A status that is known (a demo's
     * runner is the sample's parent) is never replaced by a reader's "not visible" for the same process, whichever
     * of the two arrives last.
     */
    public void exited(TargetExit e) {
        if (exit != null && e != null && exit.pid() == e.pid() && exit.status() != null && e.status() == null) {
            return;
        }
        exit = e;
        playing = false;
    }

    /**
     * A refresh failed while the target lives on; shown until the next point. The error may quote what the target
     * put in /proc (a maps line, a file name): it reaches the screen escaped.
     */
    public void failed(String why) {
        failure = why == null ? null : dev.inspector.present.Escape.controls(why);
    }

    /** The status line's message; escaped, as it may quote an error (a heat map's) with text from the target. */
    public void message(String text, Paint paint) {
        message = text == null ? null : dev.inspector.present.Escape.controls(text);
        messagePaint = paint;
    }

    /** The lab's line: the step that ran and its verdict. */
    public void lab(String status, Paint paint) {
        labStatus = status;
        labPaint = paint;
    }

    /** A demo's stop: the header line (step and verdicts) and the story pane's lines (narration, claims). */
    public void story(String status, Paint paint, List<Styled> lines) {
        labStatus = status;
        labPaint = paint;
        story = List.copyOf(lines);
    }

    public List<Styled> story() {
        return story;
    }

    /**
     * Selects the mapping that holds {@code address} (what a lab or demo step touched) and keeps it in view, now and at
     * the next three points (the point that shows the step's mmap or split may still be being read), unless a key
     * comes first.
     */
    public List<Effect> focusAddress(long address) {
        wantAddress = address;
        wantPoints = 0;
        List<Effect> out = new ArrayList<>();
        if (selectAddress(address)) {
            out.addAll(detailEffects(false));
        }
        return out;
    }

    private boolean selectAddress(long address) {
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).removed() && rows.get(i).region().mapping().contains(address)) {
                if (pane == Pane.DETAIL || focus == Focus.TABLE) {
                    select(i);
                }
                return true;
            }
        }
        return false;
    }

    /** The residency read for a {@link Effect.LoadDetail}; stale answers (an older generation) are dropped. */
    public void detail(Detail d) {
        if (d.generation() == generation) {
            detail = d;
            if (heat() != null && heatCursor >= heat().cells()) {
                heatCursor = heat().cells() - 1;
            }
        }
    }

    /** A translation (or its failure) to show in a popup. */
    public void translated(String title, List<Styled> lines) {
        overlay = Overlay.POPUP;
        popupTitle = title;
        popup = List.copyOf(lines);
        popupScroll = 0;
    }

    /** Replay: playing or not (the app's timer stops at the last point). */
    public void playing(boolean on) {
        playing = on;
    }

    /** The live loop's interval changed (the CPU budget lengthened it, or a key). */
    public void interval(Duration d) {
        interval = d;
    }

    /** Asks for the heat map again (the baseline's pages arrived). */
    public List<Effect> reloadDetail() {
        return detailEffects(true);
    }

    /** A key; returns what the surroundings must do. */
    public List<Effect> key(KeyStroke k) {
        List<Effect> out = new ArrayList<>();
        if (k == null) {
            return out;
        }
        wantAddress = null; // the user is choosing now: a step's selection no longer insists
        if (prompt != null) {
            promptKey(k, out);
            return out;
        }
        Action a = Keys.action(k);
        if (a == null) {
            return out;
        }
        if (a != Action.SAVE && a != Action.BASELINE) {
            message = null;
        }
        if (overlay != Overlay.NONE) {
            overlayKey(a, out);
            return out;
        }
        act(a, out);
        return out;
    }

    private void overlayKey(Action a, List<Effect> out) {
        switch (a) {
            case QUIT:
            case INTERRUPT:
                out.add(new Effect.Quit(a == Action.INTERRUPT ? 130 : 0));
                return;
            case UP:
                popupScroll = Math.max(0, popupScroll - 1);
                return;
            case DOWN:
                popupScroll++;
                return;
            case PAGE_UP:
                popupScroll = Math.max(0, popupScroll - 10);
                return;
            case PAGE_DOWN:
                popupScroll += 10;
                return;
            default:
                overlay = Overlay.NONE; // any other key closes the overlay
        }
    }

    private void act(Action a, List<Effect> out) {
        switch (a) {
            case QUIT:
                out.add(new Effect.Quit(0));
                break;
            case INTERRUPT:
                out.add(new Effect.Quit(130));
                break;
            case HELP:
                overlay = Overlay.HELP;
                popupScroll = 0;
                break;
            case UP:
            case DOWN:
            case PAGE_UP:
            case PAGE_DOWN:
            case HOME:
            case END:
                if (focus == Focus.HEAT) {
                    heatMove(a, out);
                } else {
                    move(a);
                    out.addAll(detailEffects(false));
                }
                break;
            case LEFT:
            case RIGHT:
                if (focus == Focus.HEAT) {
                    heatMove(a, out);
                }
                break;
            case ENTER:
                if (mode == Mode.DEMO && focus == Focus.TABLE && pane != Pane.DETAIL) {
                    out.add(new Effect.NextLabStep()); // a demo: Enter moves on (in the detail pane: the heat map)
                } else if (focus == Focus.TABLE) {
                    if (selectedRegion() != null && heat() != null) {
                        focus = Focus.HEAT;
                        pane = Pane.DETAIL;
                    } else if (selectedRegion() != null) {
                        message("no heat map for this mapping" + (detail != null && detail.error() != null
                                ? ": " + detail.error() : ""), Paint.WARNING);
                    }
                } else if (heat() != null) {
                    out.add(new Effect.Translate(cursorAddress()));
                }
                break;
            case ESCAPE:
                focus = Focus.TABLE;
                break;
            case PANE:
                pane = panes().get((panes().indexOf(pane) + 1) % panes().size());
                if (pane != Pane.DETAIL) {
                    focus = Focus.TABLE;
                }
                out.addAll(detailEffects(false));
                break;
            case MAXIMIZE:
                maximized = !maximized;
                layout = Layout.of(layout.cols(), layout.rows(), maximized);
                keepInView();
                out.addAll(detailEffects(false));
                break;
            case SEARCH:
                startPrompt(PromptKind.SEARCH, "");
                break;
            case SEARCH_NEXT:
                if (search.isEmpty()) {
                    message("no search yet: press / to search", Paint.MUTED);
                } else {
                    searchFrom(selected + 1, true);
                    out.addAll(detailEffects(false));
                }
                break;
            case FILTER:
                startPrompt(PromptKind.FILTER, filterText);
                break;
            case SORT_NEXT:
            case SORT_PREVIOUS:
                int n = SortKey.values().length;
                sort = SortKey.values()[(sort.ordinal() + (a == Action.SORT_NEXT ? 1 : n - 1)) % n];
                inverted = false;
                rebuild();
                message("sorted by " + sort.column() + (sortDescending() ? ", largest first" : ""), Paint.MUTED);
                break;
            case SORT_INVERT:
                inverted = !inverted;
                rebuild();
                break;
            case GOTO:
                startPrompt(PromptKind.GOTO, "");
                break;
            case PAUSE:
                if (mode == Mode.REPLAY) {
                    if (exitedOrEmpty()) {
                        break;
                    }
                    playing = !playing;
                    out.add(new Effect.Play(playing));
                } else if (exit == null) {
                    paused = !paused;
                    out.add(new Effect.Pause(paused));
                }
                break;
            case REFRESH:
                if (mode != Mode.REPLAY && exit == null) {
                    out.add(new Effect.RefreshNow());
                }
                break;
            case FASTER:
            case SLOWER:
                if (mode != Mode.REPLAY) {
                    interval = nextInterval(interval, a == Action.FASTER);
                    out.add(new Effect.SetInterval(interval));
                    message("refresh every " + durationText(interval), Paint.MUTED);
                }
                break;
            case ZOOM_IN:
            case ZOOM_OUT:
                zoom(a == Action.ZOOM_IN, out);
                break;
            case FRAMES:
                frames = !frames;
                message(frames ? "heat map: reading frames too (PFN runs, kpageflags; needs root)"
                        : "heat map: categories only", Paint.MUTED);
                out.addAll(detailEffects(true));
                break;
            case BASELINE:
                if (frame == null) {
                    break;
                }
                if (baseline == null) {
                    baseline = frame.snapshot();
                    marks = Highlights.emptyBaseline();
                    message("baseline set: " + CLOCK.format(baseline.takenAt()) + "; changes are shown against it"
                            + " (b again clears it)", Paint.ADDED);
                    out.add(new Effect.Baseline(true));
                } else {
                    baseline = null;
                    marks = live;
                    message("baseline cleared: changes since the last refresh", Paint.MUTED);
                    out.add(new Effect.Baseline(false));
                }
                rebuild();
                out.addAll(detailEffects(true));
                break;
            case SAVE:
                if (frame != null) {
                    Snapshot s = frame.snapshot();
                    startPrompt(PromptKind.SAVE, "inspector-" + s.process().pid() + "-"
                            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault())
                            .format(s.takenAt()) + ".json");
                }
                break;
            case STEP_NEXT:
            case STEP_PREVIOUS:
                if (mode == Mode.REPLAY) {
                    out.add(new Effect.Step(a == Action.STEP_NEXT ? 1 : -1, false));
                }
                break;
            case STEP_FIRST:
            case STEP_LAST:
                if (mode == Mode.REPLAY) {
                    out.add(new Effect.Step(a == Action.STEP_FIRST ? 0 : -1, true));
                }
                break;
            case JUMP:
                if (mode == Mode.REPLAY) {
                    startPrompt(PromptKind.JUMP, "");
                }
                break;
            case LAB_NEXT:
                if (mode == Mode.LAB || mode == Mode.DEMO) {
                    out.add(new Effect.NextLabStep());
                }
                break;
            default:
                break;
        }
    }

    private boolean exitedOrEmpty() {
        return frame == null;
    }

    private void startPrompt(PromptKind kind, String initial) {
        prompt = kind;
        promptText.setLength(0);
        promptText.append(initial);
    }

    private void promptKey(KeyStroke k, List<Effect> out) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Escape) {
            if (prompt == PromptKind.FILTER) {
                // Esc on the filter prompt keeps the filter as it was.
                message(filter.isEmpty() ? null : "filter unchanged: " + filterText, Paint.MUTED);
            }
            prompt = null;
            return;
        }
        if (t == KeyType.Character && k.isCtrlDown() && (k.getCharacter() == 'c' || k.getCharacter() == 'C')) {
            out.add(new Effect.Quit(130));
            return;
        }
        if (t == KeyType.Backspace) {
            if (promptText.length() > 0) {
                promptText.setLength(promptText.length() - 1);
                if (prompt == PromptKind.SEARCH) {
                    incremental(out);
                }
            }
            return;
        }
        if (t == KeyType.Enter) {
            PromptKind p = prompt;
            String text = promptText.toString();
            prompt = null;
            confirm(p, text, out);
            return;
        }
        if (t == KeyType.Character && !k.isCtrlDown() && !k.isAltDown()) {
            char c = k.getCharacter();
            if (c >= 0x20 && c != 0x7f && promptText.length() < 512) {
                promptText.append(c);
                if (prompt == PromptKind.SEARCH) {
                    incremental(out);
                }
            }
        }
    }

    private void incremental(List<Effect> out) {
        search = promptText.toString().toLowerCase(Locale.ROOT);
        if (!search.isEmpty()) {
            searchFrom(selected, false);
            out.addAll(detailEffects(false));
        }
    }

    private void confirm(PromptKind p, String text, List<Effect> out) {
        switch (p) {
            case SEARCH:
                search = text.toLowerCase(Locale.ROOT);
                break;
            case FILTER:
                try {
                    filter = Filter.parse(text);
                    filterText = text.trim();
                    rebuild();
                    message(filter.isEmpty() ? "no filter" : "filter: " + filterText + " (" + rows.size() + " rows)",
                            Paint.MUTED);
                    out.addAll(detailEffects(false));
                } catch (IllegalArgumentException e) {
                    message(e.getMessage(), Paint.ERROR);
                }
                break;
            case GOTO:
                goTo(text, out);
                break;
            case SAVE:
                if (text.isBlank()) {
                    message("not saved: no file name", Paint.WARNING);
                } else {
                    out.add(new Effect.Save(text.trim()));
                }
                break;
            case JUMP:
                try {
                    out.add(new Effect.Step(Integer.parseInt(text.trim()), true));
                } catch (NumberFormatException e) {
                    message("not a point number: " + text, Paint.ERROR);
                }
                break;
            default:
                break;
        }
    }

    private void goTo(String text, List<Effect> out) {
        String h = text.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("0x")) {
            h = h.substring(2);
        }
        long addr;
        try {
            addr = Long.parseUnsignedLong(h, 16);
        } catch (NumberFormatException e) {
            message("not a hex address: " + text, Paint.ERROR);
            return;
        }
        int best = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).removed() && rows.get(i).region().mapping().contains(addr)) {
                best = i;
                break;
            }
        }
        if (best >= 0) {
            select(best);
            message("0x" + Long.toHexString(addr) + " is in this mapping", Paint.MUTED);
        } else {
            message("0x" + Long.toHexString(addr) + " is not in any " + (filter.isEmpty() ? "" : "shown ")
                    + "mapping", Paint.WARNING);
        }
        out.addAll(detailEffects(false));
    }

    private void searchFrom(int from, boolean wrapMessage) {
        int n = rows.size();
        for (int k = 0; k < n; k++) {
            int i = (from + k) % n;
            Region r = rows.get(i).region();
            String hay = (Kinds.name(r.kind()) + " " + r.mapping().path().kernelText()).toLowerCase(Locale.ROOT);
            if (hay.contains(search)) {
                if (wrapMessage && i < from) {
                    message("search wrapped to the top", Paint.MUTED);
                }
                select(i);
                return;
            }
        }
        message("not found: " + search, Paint.WARNING);
    }

    // ---- selection and table -----------------------------------------------------------------------------------

    private void move(Action a) {
        int page = layout.tableRows();
        int i = selected;
        switch (a) {
            case UP:
                i--;
                break;
            case DOWN:
                i++;
                break;
            case PAGE_UP:
                i -= page;
                break;
            case PAGE_DOWN:
                i += page;
                break;
            case HOME:
                i = 0;
                break;
            case END:
                i = rows.size() - 1;
                break;
            default:
                break;
        }
        select(Math.max(0, Math.min(rows.size() - 1, i)));
    }

    private void select(int i) {
        if (rows.isEmpty()) {
            selected = 0;
            selectedStart = -1;
            return;
        }
        int before = selected;
        long beforeStart = selectedStart;
        selected = Math.max(0, Math.min(rows.size() - 1, i));
        selectedStart = rows.get(selected).region().mapping().start();
        if (before != selected || beforeStart != selectedStart) {
            focus = Focus.TABLE;
            zoom = 0;
            heatOffset = 0;
            heatCursor = 0;
        }
        keepInView();
    }

    private void keepInView() {
        int page = layout.tableRows();
        if (selected < scroll) {
            scroll = selected;
        } else if (selected >= scroll + page) {
            scroll = selected - page + 1;
        }
        scroll = Math.max(0, Math.min(scroll, Math.max(0, rows.size() - page)));
    }

    /** First view: the heap when there is one, else the first mapping, as a reader of maps would start. */
    private void selectInitial() {
        List<Region> regions = frame.snapshot().regions();
        for (int i = 0; i < regions.size() && i < rows.size(); i++) {
            if (regions.get(i).kind() == RegionKind.HEAP) {
                select(i); // on the first point the rows are the regions, in address order
                return;
            }
        }
        select(0);
    }

    /**
     * Rows from the point, the filter, the ghosts and the sort; the selection follows its mapping's start. In the
     * common case (address order, no filter, nothing removed) the rows are a view over the snapshot's regions, made
     * one at a time as they are drawn: a point of 60,000 mappings costs the screen's thread nothing per row.
     */
    private void rebuild() {
        if (frame == null) {
            return;
        }
        List<Region> regions = frame.snapshot().regions();
        Highlights mk = marks;
        if (filter.isEmpty() && mk.ghosts().isEmpty() && sort == SortKey.ADDRESS && !inverted) {
            rows = new java.util.AbstractList<>() {
                @Override
                public Row get(int i) {
                    Region r = regions.get(i);
                    return new Row(r, mk.mark(r.mapping().start()), null);
                }

                @Override
                public int size() {
                    return regions.size();
                }
            };
            int i = selectedStart == -1 ? -1 : indexFrom(regions, selectedStart);
            follow(i);
            return;
        }
        List<Row> out = new ArrayList<>(regions.size() + mk.ghosts().size());
        List<Highlights.Ghost> ghosts = new ArrayList<>(mk.ghosts());
        ghosts.sort((x, y) -> Long.compareUnsigned(x.region().mapping().start(), y.region().mapping().start()));
        int g = 0;
        for (Region r : regions) {
            while (g < ghosts.size() && Long.compareUnsigned(ghosts.get(g).region().mapping().start(),
                    r.mapping().start()) <= 0) {
                addGhost(ghosts.get(g++), out);
            }
            if (filter.accepts(r)) {
                out.add(new Row(r, mk.mark(r.mapping().start()), null));
            }
        }
        while (g < ghosts.size()) {
            addGhost(ghosts.get(g++), out);
        }
        if (sort != SortKey.ADDRESS || inverted) {
            out.sort(comparator());
        }
        rows = out;
        int i = -1;
        if (selectedStart != -1) {
            for (int k = 0; k < rows.size(); k++) {
                if (rows.get(k).region().mapping().start() == selectedStart) {
                    i = k;
                    break;
                }
            }
            if (i < 0 && sort == SortKey.ADDRESS) {
                // The mapping went away: the one now covering its address, else the next one up.
                for (int k = 0; k < rows.size(); k++) {
                    Mapping m = rows.get(k).region().mapping();
                    if (Long.compareUnsigned(m.end(), selectedStart) > 0) {
                        i = k;
                        break;
                    }
                }
            }
        }
        follow(i);
    }

    /** The row of the mapping starting at {@code start} in address order, or the first above it (binary search). */
    private static int indexFrom(List<Region> regions, long start) {
        int lo = 0;
        int hi = regions.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(regions.get(mid).mapping().end(), start) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < regions.size() ? lo : -1;
    }

    /** Selects row {@code i} (or keeps the index when -1) after the rows changed. */
    private void follow(int i) {
        if (i < 0) {
            i = Math.min(selected, rows.size() - 1);
        }
        selected = Math.max(0, i);
        if (!rows.isEmpty()) {
            long s = rows.get(selected).region().mapping().start();
            if (s != selectedStart) {
                selectedStart = s;
                zoom = 0;
                heatOffset = 0;
                heatCursor = 0;
                focus = Focus.TABLE;
            }
        }
        keepInView();
    }

    private void addGhost(Highlights.Ghost gh, List<Row> out) {
        if (filter.accepts(gh.region())) {
            out.add(new Row(gh.region(), null, gh));
        }
    }

    private boolean sortDescending() {
        return sort.largestFirst != inverted;
    }

    private Comparator<Row> comparator() {
        Comparator<Row> byAddr = (x, y) -> Long.compareUnsigned(x.region().mapping().start(),
                y.region().mapping().start());
        Comparator<Row> c;
        switch (sort) {
            case SIZE:
                c = Comparator.comparingLong(r -> r.region().mapping().size());
                break;
            case RSS:
                c = Comparator.comparingLong(r -> usage(r.region(), 0));
                break;
            case PSS:
                c = Comparator.comparingLong(r -> usage(r.region(), 1));
                break;
            case SWAP:
                c = Comparator.comparingLong(r -> usage(r.region(), 2));
                break;
            case PERM:
                c = Comparator.comparing(r -> r.region().mapping().perms().toString());
                break;
            case KIND:
                c = Comparator.comparing(r -> Kinds.name(r.region().kind()));
                break;
            case NAME:
                c = Comparator.comparing(r -> r.region().mapping().path().kernelText());
                break;
            default:
                c = byAddr;
                break;
        }
        if (sortDescending()) {
            c = c.reversed();
        }
        return c.thenComparing(byAddr);
    }

    private static long usage(Region r, int which) {
        Smaps s = r.smaps();
        if (s == null) {
            return -1;
        }
        return which == 0 ? s.rss() : which == 1 ? s.pss() : s.swap();
    }

    // ---- heat map ------------------------------------------------------------------------------------------------

    private int pageSize() {
        return frame == null ? 4096 : frame.snapshot().host().pageSize();
    }

    /** Pages per cell: the zoom, or what fits the whole mapping in the cells. */
    public long pagesPerCell() {
        Region r = selectedRegion();
        if (r == null) {
            return 1;
        }
        long pages = r.mapping().size() / pageSize();
        long fit = Math.max(1, (pages + layout.heatCells() - 1) / layout.heatCells());
        return zoom == 0 ? fit : Math.min(zoom, fit);
    }

    private long fitPagesPerCell() {
        long pages = selectedRegion().mapping().size() / pageSize();
        return Math.max(1, (pages + layout.heatCells() - 1) / layout.heatCells());
    }

    private void zoom(boolean in, List<Effect> out) {
        Region r = selectedRegion();
        if (r == null || pane != Pane.DETAIL) {
            return;
        }
        long fit = fitPagesPerCell();
        long cur = pagesPerCell();
        long cursorPage = heatOffset + (long) heatCursor * cur;
        long next;
        if (in) {
            if (cur == 1) {
                message("zoom: already one page per cell", Paint.MUTED);
                return;
            }
            next = Long.bitCount(cur) == 1 ? cur / 2 : Long.highestOneBit(cur); // powers of two below the fit
        } else {
            if (zoom == 0) {
                message("zoom: the whole mapping is in view", Paint.MUTED);
                return;
            }
            next = cur * 2;
        }
        if (next >= fit) {
            zoom = 0;
            heatOffset = 0;
            heatCursor = (int) Math.min(cursorPage / fit, layout.heatCells() - 1);
        } else {
            zoom = next;
            long cells = layout.heatCells();
            long pages = r.mapping().size() / pageSize();
            // Keep the page under the cursor in view, on the same row of the window when possible.
            long start = cursorPage - (long) heatCursor * next;
            start = Math.max(0, Math.min(start, Math.max(0, pages - cells * next)));
            start = start / next * next;
            heatOffset = start;
            heatCursor = (int) Math.max(0, Math.min(cells - 1, (cursorPage - start) / next));
        }
        message("zoom: " + pagesPerCell() + (pagesPerCell() == 1 ? " page" : " pages") + " per cell ("
                + Format.size(pagesPerCell() * pageSize()) + ")", Paint.MUTED);
        out.addAll(detailEffects(false));
    }

    private void heatMove(Action a, List<Effect> out) {
        HeatSource h = heat();
        if (h == null) {
            return;
        }
        int width = layout.pane().width();
        int cells = h.cells();
        int c = heatCursor;
        switch (a) {
            case LEFT:
                c--;
                break;
            case RIGHT:
                c++;
                break;
            case UP:
                c -= width;
                break;
            case DOWN:
                c += width;
                break;
            case PAGE_UP:
                c -= cells;
                break;
            case PAGE_DOWN:
                c += cells;
                break;
            case HOME:
                c = 0;
                if (zoom != 0 && heatOffset != 0) {
                    heatOffset = 0;
                    out.addAll(detailEffects(false));
                }
                break;
            case END:
                c = cells - 1;
                break;
            default:
                break;
        }
        if (zoom != 0 && (c < 0 || c >= cells)) {
            // Scroll the window by whole rows of cells.
            long ppc = pagesPerCell();
            long pages = selectedRegion().mapping().size() / pageSize();
            long rowsShift = c < 0 ? -((-c + width - 1) / width) : (c - cells) / width + 1;
            long start = heatOffset + rowsShift * width * ppc;
            long maxStart = Math.max(0, (pages - 1) / ppc / width * width * ppc - (long) (layout.heatRows() - 1)
                    * width * ppc);
            start = Math.max(0, Math.min(start, maxStart));
            if (start != heatOffset) {
                c -= (int) ((start - heatOffset) / ppc);
                heatOffset = start;
                out.addAll(detailEffects(false));
            }
        }
        heatCursor = Math.max(0, Math.min(c, Math.max(0, cellsInWindow() - 1)));
    }

    /** Cells the current window has (the last window of a mapping may have fewer). */
    private int cellsInWindow() {
        Region r = selectedRegion();
        if (r == null) {
            return 0;
        }
        long pages = r.mapping().size() / pageSize() - heatOffset;
        long ppc = pagesPerCell();
        return (int) Math.max(1, Math.min(layout.heatCells(), (pages + ppc - 1) / ppc));
    }

    /** The first address of the cell under the cursor. */
    public long cursorAddress() {
        HeatSource h = heat();
        Mapping w = detail.window();
        long page = h == null ? 0 : h.firstPage(Math.min(heatCursor, h.cells() - 1));
        return w.start() + page * pageSize();
    }

    /** The residency read wanted now, if any differs from the last one asked for ({@code force}: ask again). */
    private List<Effect> detailEffects(boolean force) {
        Region r = selectedRegion();
        if (frame == null || r == null || rows.get(selected).removed() || pane != Pane.DETAIL || layout.tooSmall()) {
            return List.of();
        }
        Mapping m = r.mapping();
        long ppc = pagesPerCell();
        long pages = m.size() / pageSize();
        long first = zoom == 0 ? 0 : heatOffset;
        int cells = cellsInWindow();
        long windowPages = zoom == 0 ? pages : Math.min(pages - first, cells * ppc);
        Mapping window = HeatSource.window(m, m.start() + first * pageSize(),
                m.start() + (first + windowPages) * pageSize());
        int bucketCells = (int) Math.max(1, Math.min(cells, windowPages));
        Effect.LoadDetail want = new Effect.LoadDetail(m, window, bucketCells, frames, baseline != null, 0);
        if (!force && requested != null && sameRequest(requested, want)) {
            return List.of();
        }
        generation++;
        requested = new Effect.LoadDetail(m, window, bucketCells, frames, baseline != null, generation);
        if (detail != null && !detail.mapping().equals(m)) {
            detail = null;
        }
        if (mode == Mode.REPLAY) {
            detail = replayDetail(r, window, first, windowPages, bucketCells);
            return List.of();
        }
        return List.of(requested);
    }

    private static boolean sameRequest(Effect.LoadDetail a, Effect.LoadDetail b) {
        return a.mapping().equals(b.mapping()) && a.window().equals(b.window()) && a.cells() == b.cells()
                && a.frames() == b.frames() && a.runs() == b.runs();
    }

    /** In a replay the page runs come from the recording (watch --pages), if it has them. */
    private Detail replayDetail(Region r, Mapping window, long firstPage, long windowPages, int cells) {
        if (r.pages() == null) {
            return Detail.failed(generation, r.mapping(), window, "this recording has no page runs (record with"
                    + " 'inspector watch --pages' to replay heat maps)");
        }
        int known = dev.inspector.core.model.PageRun.PRESENT | dev.inspector.core.model.PageRun.SWAPPED
                | dev.inspector.core.model.PageRun.FILE;
        if (r.residency() != null) {
            if (r.residency().zeroPage() >= 0) {
                known |= dev.inspector.core.model.PageRun.ZERO;
            }
            if (r.residency().huge() >= 0) {
                known |= dev.inspector.core.model.PageRun.HUGE;
            }
        }
        HeatSource h = HeatSource.ofRuns(r.pages(), firstPage, windowPages, cells, known);
        return new Detail(generation, r.mapping(), window, h, null, r.residency() == null ? null
                : r.residency().source(), "recorded", null, null, null);
    }

    private static Duration nextInterval(Duration cur, boolean faster) {
        if (faster) {
            for (int i = INTERVALS.size() - 1; i >= 0; i--) {
                if (INTERVALS.get(i).compareTo(cur) < 0) {
                    return INTERVALS.get(i);
                }
            }
            return INTERVALS.get(0);
        }
        for (Duration d : INTERVALS) {
            if (d.compareTo(cur) > 0) {
                return d;
            }
        }
        return INTERVALS.get(INTERVALS.size() - 1);
    }

    // ---- what the screen draws -----------------------------------------------------------------------------------

    public Mode mode() {
        return mode;
    }

    public String title() {
        return title;
    }

    public Layout layout() {
        return layout;
    }

    public Frame frame() {
        return frame;
    }

    public KindSummary summary() {
        return summary;
    }

    public Highlights marks() {
        return marks;
    }

    public Snapshot baseline() {
        return baseline;
    }

    public List<Row> rows() {
        return rows;
    }

    public int selected() {
        return selected;
    }

    public int scroll() {
        return scroll;
    }

    /** The selected live region, or a removed one (ghost) when that is selected; null without rows. */
    public Region selectedRegion() {
        return rows.isEmpty() ? null : rows.get(selected).region();
    }

    public Row selectedRow() {
        return rows.isEmpty() ? null : rows.get(selected);
    }

    /** Index of the selected region in the snapshot's list (for the address-space column), or -1. */
    public int selectedIndex() {
        Row row = selectedRow();
        if (row == null || row.removed()) {
            return -1;
        }
        List<Region> regions = frame.snapshot().regions();
        int i = Mapping.indexContaining(mappings(regions), row.region().mapping().start());
        return i;
    }

    private static List<Mapping> mappings(List<Region> regions) {
        return new java.util.AbstractList<>() {
            @Override
            public Mapping get(int index) {
                return regions.get(index).mapping();
            }

            @Override
            public int size() {
                return regions.size();
            }
        };
    }

    public SortKey sort() {
        return sort;
    }

    public boolean descending() {
        return sortDescending();
    }

    public Filter filter() {
        return filter;
    }

    public String filterText() {
        return filterText;
    }

    public String search() {
        return search;
    }

    public Pane pane() {
        return pane;
    }

    public Focus focus() {
        return focus;
    }

    public Overlay overlay() {
        return overlay;
    }

    public String popupTitle() {
        return popupTitle;
    }

    public List<Styled> popup() {
        return popup;
    }

    public int popupScroll() {
        return popupScroll;
    }

    public PromptKind prompt() {
        return prompt;
    }

    public String promptText() {
        return promptText.toString();
    }

    public String messageText() {
        return message;
    }

    public Paint messagePaint() {
        return messagePaint;
    }

    public TargetExit exit() {
        return exit;
    }

    public String failure() {
        return failure;
    }

    public boolean paused() {
        return paused;
    }

    public boolean playing() {
        return playing;
    }

    public Duration interval() {
        return interval;
    }

    public String labStatus() {
        return labStatus;
    }

    public Paint labPaint() {
        return labPaint;
    }

    public boolean zoomed() {
        return zoom != 0;
    }

    public int heatCursor() {
        return heatCursor;
    }

    public boolean frames() {
        return frames;
    }

    public Detail detail() {
        return detail;
    }

    /** The heat map of the shown detail, when it is for the selected mapping. */
    public HeatSource heat() {
        Region r = selectedRegion();
        if (detail == null || detail.heat() == null || r == null || !detail.mapping().equals(r.mapping())) {
            return null;
        }
        return detail.heat();
    }

    /** The clock time of an instant, as the screen shows it. */
    public static String clock(Instant t) {
        return CLOCK.format(t);
    }

    /** Instant of the baseline, or null. */
    public Instant baselineAt() {
        return baseline == null ? null : baseline.takenAt();
    }

    /** A duration as the screen shows it: 250ms, 1s, 2.5s, 1m. */
    public static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    /** Clears the failure line once a refresh succeeded again. */
    public void clearFailure() {
        failure = null;
    }
}
