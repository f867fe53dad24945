package dev.inspector.tui;

import dev.inspector.present.KindSummary;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.model.VmFlags;
import dev.inspector.core.residency.KPageSummary;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.session.Refresh;
import dev.inspector.core.session.TargetExit;
import dev.inspector.present.DiffView;
import dev.inspector.present.Escape;
import dev.inspector.present.Format;
import dev.inspector.present.Kinds;
import dev.inspector.present.MapsView;
import dev.inspector.present.RowBuffer;
import dev.inspector.present.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link MapModel} on a {@link Canvas}: header, address-space column, region table, lower pane (detail with
 * the heat map, summary by kind, or changes), key bar, and the overlays. Reads the model only; every decision about
 * what is selected or highlighted was made there.
 */
public final class MapScreen {

    private MapScreen() {
    }

    public static void draw(MapModel m, Canvas c) {
        c.clear(0, 0, c.cols(), c.rows());
        Layout l = m.layout();
        if (l.tooSmall()) {
            tooSmall(c);
            return;
        }
        if (m.frame() == null) {
            c.put(0, 0, "inspector: reading " + m.title() + " ...", c.cols(), Paint.PLAIN);
            if (m.labStatus() != null) {
                // A demo before its sample's first point (or one whose sample could not start): its words so far.
                c.put(0, 1, m.labStatus(), c.cols(), m.labPaint());
                List<Styled> lines = Styled.wrap(m.story(), c.cols());
                for (int i = 0; i < Math.min(lines.size(), c.rows() - 3); i++) {
                    lines.get(i).draw(c, 0, 3 + i, c.cols());
                }
                c.put(0, c.rows() - 1, " q:quit", c.cols(), Paint.KEYS);
            }
            return;
        }
        header(m, c, l);
        column(m, c, l);
        table(m, c, l);
        pane(m, c, l);
        footer(m, c, l);
        if (m.overlay() == MapModel.Overlay.HELP) {
            help(m, c);
        } else if (m.overlay() == MapModel.Overlay.POPUP) {
            popup(c, m.popupTitle(), m.popup(), m.popupScroll());
        }
    }

    /** Below 80x24 nothing is drawn but what is needed and how to leave. */
    static void tooSmall(Canvas c) {
        String[] lines = {"inspector tui needs a terminal of at least " + Layout.MIN_COLS + "x" + Layout.MIN_ROWS,
            "this one is " + c.cols() + "x" + c.rows() + ": enlarge it (the map returns at once)", "q quits"};
        int top = Math.max(0, c.rows() / 2 - 1);
        for (int i = 0; i < lines.length && top + i < c.rows(); i++) {
            String s = Canvas.fit(lines[i], c.cols());
            c.put(Math.max(0, (c.cols() - s.length()) / 2), top + i, s, c.cols(), i == 0 ? Paint.WARNING : Paint.PLAIN);
        }
    }

    // ---- header ------------------------------------------------------------------------------------------------

    private static void header(MapModel m, Canvas c, Layout l) {
        Snapshot s = m.frame().snapshot();
        ProcessInfo p = s.process();
        Smaps roll = s.rollup();
        StringBuilder a = new StringBuilder();
        a.append(" pid ").append(p.pid()).append(' ').append(Escape.forTerminal(p.comm())).append(" · ")
                .append(p.state()).append(" · ").append(p.threadCount()).append(p.threadCount() == 1 ? " thread"
                        : " threads");
        Long vsz = p.statusMemory().get("VmSize");
        a.append(" · VSZ ").append(vsz == null ? "?" : Format.size(vsz));
        if (roll != null) {
            a.append(" RSS ").append(Format.size(roll.rss())).append(" PSS ").append(Format.size(roll.pss()))
                    .append(" swap ").append(Format.size(roll.swap()));
        }
        DiffResult d = m.frame().sincePrevious();
        double secs = d == null ? 0 : d.elapsed().toNanos() / 1e9;
        if (d != null && secs > 0) {
            a.append(" · faults ").append(rate(d.process().minorFaultsDelta(), secs)).append("/s major ")
                    .append(rate(d.process().majorFaultsDelta(), secs)).append("/s");
        }
        a.append(" · ").append(s.regions().size()).append(" mappings");
        c.paint(Paint.TITLE);
        c.bar(0, 0, a.toString(), c.cols());
        if (m.exit() != null) {
            TargetExit e = m.exit();
            if (m.mode() == MapModel.Mode.DEMO && m.labStatus() != null) {
                // the demo's end (or why it stopped) stays in view, with how its sample ended
                String quits = " · q quits";
                String st = m.labStatus();
                st = st.endsWith(quits) ? st.substring(0, st.length() - quits.length()) : st;
                c.paint(m.labPaint());
                c.bar(0, 1, " demo: pid " + e.pid() + " " + e.reason() + " · " + st + quits, c.cols());
                return;
            }
            c.paint(Paint.BANNER);
            c.bar(0, 1, " pid " + e.pid() + " " + e.reason() + " at " + MapModel.clock(e.at())
                    + " · the view is frozen on its last point · q quits", c.cols());
            return;
        }
        if ((m.mode() == MapModel.Mode.LAB || m.mode() == MapModel.Mode.DEMO) && m.labStatus() != null) {
            c.paint(m.labPaint());
            c.bar(0, 1, (m.mode() == MapModel.Mode.LAB ? " lab: " : " demo: ") + m.labStatus(), c.cols());
            return;
        }
        c.put(0, 1, second(m, s), c.cols(), Paint.PLAIN);
    }

    private static String second(MapModel m, Snapshot s) {
        HostInfo h = s.host();
        StringBuilder b = new StringBuilder(" ");
        if (m.mode() == MapModel.Mode.REPLAY) {
            Frame f = m.frame();
            b.append(m.playing() ? "▶ " : "").append("replay point ").append(f.point()).append('/')
                    .append(f.points() - 1).append(" at ").append(MapModel.clock(s.takenAt())).append(" · ");
        } else if (m.paused()) {
            b.append("PAUSED · ");
        }
        if (m.baseline() != null) {
            // a mode, like PAUSED: first, so that it is seen at 80 columns (the host's facts after it may be cut)
            b.append("vs baseline ").append(MapModel.clock(m.baselineAt())).append(" · ");
        }
        b.append("ASLR ").append(h.randomizeVaSpace()).append(aslr(h.randomizeVaSpace())).append(" · ")
                .append(Format.size(h.pageSize())).append(" pages, ").append(h.pagingLevels()).append("-level · THP ")
                .append(h.thpMode());
        Refresh.Stats st = m.frame().stats();
        if (st != null) {
            b.append(" · every ").append(MapModel.durationText(st.interval()));
            if (st.backedOff()) {
                b.append(" (backed off)");
            }
            b.append(": ").append(st.cost().toMillis()).append(" ms, ")
                    .append(tenths(1000 * st.cpuShare())).append("% core");
        }
        HostInfo.Features f = m.frame().features();
        if (f != null) {
            b.append(" · ").append(f.pagemapScan() ? "PAGEMAP_SCAN" : "pagemap reads").append(", ")
                    .append(f.procmapQuery() ? "PROCMAP_QUERY" : "maps text");
        }
        return b.toString();
    }

    /** {@code v} tenths as "12.3" without String.format (it runs on every draw). */
    static String tenths(double v) {
        long t = Math.round(v);
        return (t / 10) + "." + (t % 10);
    }

    private static String aslr(int mode) {
        switch (mode) {
            case 0:
                return " (off)";
            case 1:
                return " (no heap)";
            case 2:
                return " (full)";
            default:
                return "";
        }
    }

    private static String rate(long count, double secs) {
        double r = count / secs;
        return r >= 10 || r == 0 ? Long.toString(Math.round(r)) : String.format(Locale.ROOT, "%.1f", r);
    }

    // ---- address-space column ----------------------------------------------------------------------------------

    private static void column(MapModel m, Canvas c, Layout l) {
        Layout.Rect r = l.column();
        Snapshot s = m.frame().snapshot();
        List<AddressColumn.Band> bands = AddressColumn.layout(m.frame().column(), m.selectedIndex(), r.height());
        for (int i = 0; i < bands.size(); i++) {
            band(m, c, r.col(), r.row() + i, r.width(), bands.get(i), s.regions());
        }
        c.paint(Paint.MUTED);
        for (int y = r.row(); y < r.bottom(); y++) {
            c.put(r.right(), y, "│", 1);
        }
    }

    private static void band(MapModel m, Canvas c, int x, int y, int w, AddressColumn.Band b, List<Region> regions) {
        switch (b.type()) {
            case KERNEL:
                c.put(x, y, "▒▒ kernel half " + size(b.bytes()), w, Paint.MUTED);
                return;
            case HOLE:
                c.put(x, y, "   non-canonical " + size(b.bytes()), w, Paint.MUTED);
                return;
            case GAP:
                c.put(x, y, "   ┆ gap " + size(b.bytes()), w, Paint.MUTED);
                return;
            default:
                break;
        }
        char g = Palette.glyph(b.kind());
        String bar = b.continuation() ? "" + g + g : "" + g + g;
        String label;
        if (b.continuation()) {
            label = "";
        } else if (b.type() == AddressColumn.Type.GROUP) {
            label = b.count() + " maps";
        } else {
            label = Kinds.name(b.kind());
        }
        String size = b.continuation() ? "" : Format.size(b.bytes());
        int labelW = Math.max(1, w - 3 - 6);
        String text = " " + Canvas.pad(label, labelW) + Canvas.right(size, 5);
        Highlights.Mark mk = b.type() == AddressColumn.Type.REGION ? m.marks().mark(b.start()) : null;
        if (b.selected()) {
            c.paint(Paint.SELECTED);
            c.bar(x, y, bar + text, w);
            return;
        }
        c.put(x, y, bar, 2, Paint.KIND, b.kind());
        c.put(x + 2, y, text, w - 2, b.type() == AddressColumn.Type.GROUP ? Paint.MUTED : Paint.PLAIN);
        if (mk != null && !b.continuation()) {
            c.put(x + w - 1, y, mk.change().marker().substring(0, 1), 1, mk.change().paint());
        }
    }

    /** A size held as an unsigned 64-bit count (the non-canonical hole is 16 EiB less 256 TiB). */
    static String size(long bytes) {
        if (bytes >= 0) {
            return Format.size(bytes);
        }
        double e = ((bytes >>> 1) * 2.0) / (1L << 60);
        return e >= 15.95 ? "16E" : String.format(Locale.ROOT, "%.1fE", e);
    }

    // ---- region table ------------------------------------------------------------------------------------------

    /** The table's columns for a width: which optional ones fit, and how wide KIND and NAME are. */
    record Columns(boolean end, boolean delta, boolean pss, boolean swap, boolean thp, int kind, int name) {
        static Columns of(int width) {
            int fixed = 2 + 13 + 6 + 5 + 6; // marker, START, SIZE, PERM, RSS
            boolean pss = width - fixed - 7 >= 24;
            int f = fixed + (pss ? 7 : 0);
            boolean swap = width - f - 7 >= 24;
            f += swap ? 7 : 0;
            boolean delta = width - f - 7 >= 24;
            f += delta ? 7 : 0;
            boolean end = width - f - 13 >= 40;
            f += end ? 13 : 0;
            boolean thp = width - f - 7 >= 40;
            f += thp ? 7 : 0;
            int rest = Math.max(8, width - f);
            int kind = Math.max(Math.min(12, rest - 5), Math.min(22, rest / 2));
            return new Columns(end, delta, pss, swap, thp, kind, Math.max(4, rest - kind - 1));
        }
    }

    private static void table(MapModel m, Canvas c, Layout l) {
        Layout.Rect r = l.table();
        Columns cols = Columns.of(r.width());
        StringBuilder h = new StringBuilder("  ");
        h.append(head("START", 12, m, MapModel.SortKey.ADDRESS, false)).append(' ');
        if (cols.end()) {
            h.append(Canvas.pad("END", 12)).append(' ');
        }
        h.append(head("SIZE", 5, m, MapModel.SortKey.SIZE, true)).append(' ');
        h.append(head("PERM", 4, m, MapModel.SortKey.PERM, false)).append(' ');
        h.append(head("RSS", 5, m, MapModel.SortKey.RSS, true)).append(' ');
        if (cols.delta()) {
            h.append(Canvas.right("ΔRSS", 6)).append(' ');
        }
        if (cols.pss()) {
            h.append(head("PSS", 5, m, MapModel.SortKey.PSS, true)).append(' ');
        }
        if (cols.swap()) {
            h.append(head("SWAP", 5, m, MapModel.SortKey.SWAP, true)).append(' ');
        }
        if (cols.thp()) {
            h.append(Canvas.right("THP", 5)).append(' ');
        }
        h.append(head("KIND", cols.kind(), m, MapModel.SortKey.KIND, false)).append(' ');
        h.append(head("NAME", cols.name(), m, MapModel.SortKey.NAME, false));
        c.paint(Paint.HEADER);
        c.bar(r.col(), r.row(), h.toString(), r.width());
        List<MapModel.Row> rows = m.rows();
        if (rows.isEmpty()) {
            c.put(r.col() + 2, r.row() + 1, m.filter().isEmpty() ? "no mappings" : "no mapping matches the filter '"
                    + m.filterText() + "' (\\ to change it)", r.width() - 2, Paint.MUTED);
            return;
        }
        int n = Math.min(l.tableRows(), rows.size() - m.scroll());
        // The rows in view, made by the maps presenter (the same cells 'inspector maps' prints) in the model's order.
        List<Region> shown = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shown.add(rows.get(m.scroll() + i).region());
        }
        Table t = MapsView.rows(shown, MapsView.Units.HUMAN);
        RowBuffer buf = new RowBuffer();
        for (int i = 0; i < n; i++) {
            int k = m.scroll() + i;
            t.row(i, buf);
            row(c, r.col(), r.row() + 1 + i, r.width(), cols, rows.get(k), buf, k == m.selected(),
                    m.focus() == MapModel.Focus.TABLE);
        }
        // A scroll indicator in the heading: where the shown rows lie among all.
        String pos = " " + (m.selected() + 1) + "/" + rows.size() + " ";
        c.put(r.right() - pos.length(), r.row(), pos, pos.length(), Paint.HEADER);
    }

    private static String head(String name, int w, MapModel m, MapModel.SortKey key, boolean right) {
        String t = m.sort() == key ? name + (m.descending() ? "▼" : "▲") : name;
        return right ? Canvas.right(t, w) : Canvas.pad(t, w);
    }

    /**
     * The presenter's cells, by column: N START END SIZE PERM RSS PSS SWAP THP KIND NAME (NAME absent when empty; N
     * counts the rows asked for, not the process's mappings, so it is not drawn).
     */
    private static final int START = 1;
    private static final int END = 2;
    private static final int SIZE = 3;
    private static final int PERM = 4;
    private static final int RSS = 5;
    private static final int PSS = 6;
    private static final int SWAP = 7;
    private static final int KIND = 9;
    private static final int NAME = 10;

    private static void row(Canvas c, int x, int y, int w, Columns cols, MapModel.Row row, RowBuffer cells,
                            boolean selected, boolean focused) {
        Region r = row.region();
        Smaps sm = r.smaps();
        StringBuilder b = new StringBuilder();
        b.append(cells.cell(START)).append(' ');
        if (cols.end()) {
            b.append(cells.cell(END)).append(' ');
        }
        b.append(Canvas.right(cells.cell(SIZE), 5)).append(' ');
        b.append(cells.cell(PERM)).append(' ');
        b.append(Canvas.right(cells.cell(RSS), 5)).append(' ');
        int deltaAt = b.length();
        if (cols.delta()) {
            b.append("      ").append(' ');
        }
        if (cols.pss()) {
            b.append(Canvas.right(cells.cell(PSS), 5)).append(' ');
        }
        if (cols.swap()) {
            b.append(Canvas.right(cells.cell(SWAP), 5)).append(' ');
        }
        if (cols.thp()) {
            b.append(Canvas.right(sm == null ? "-" : Format.size(sm.get("AnonHugePages")), 5)).append(' ');
        }
        int kindAt = b.length();
        String kind = Canvas.pad(cells.cell(KIND), cols.kind());
        b.append(kind).append(' ');
        String name = cells.cells() > NAME ? cells.cell(NAME) : "";
        if (row.removed()) {
            name = "(removed) " + name;
        }
        b.append(tail(name, cols.name()));
        String marker = row.removed() ? Highlights.Change.REMOVED.marker()
                : row.mark() == null ? "  " : row.mark().change().marker();
        Paint markPaint = row.removed() ? Paint.REMOVED : row.mark() == null ? Paint.PLAIN : row.mark().change().paint();
        if (row.mark() != null && row.mark().age() >= 2) {
            markPaint = Paint.MUTED;
        }
        if (selected) {
            c.paint(focused ? Paint.SELECTED : Paint.CHANGED);
            c.bar(x, y, marker + b, w);
            return;
        }
        c.put(x, y, marker, 2, markPaint);
        if (row.removed()) {
            c.put(x + 2, y, b.toString(), w - 2, Paint.REMOVED);
            return;
        }
        c.put(x + 2, y, b.toString(), w - 2, Paint.PLAIN);
        // The row's role from the presenter (the kind) colours the KIND cell.
        c.put(x + 2 + kindAt, y, kind, cols.kind(), Styled.paint(cells.role()), cells.kind());
        if (cols.delta() && row.mark() != null && row.mark().rssDelta() != 0) {
            long dlt = row.mark().rssDelta();
            c.put(x + 2 + deltaAt, y, Canvas.right(Format.delta(dlt), 6), 6, dlt > 0 ? Paint.GROWN : Paint.SHRUNK);
        }
    }

    /** The end of a name when it does not fit: "…/libc.so.6" says more than "/usr/lib/x86_64-li…". */
    static String tail(String s, int w) {
        if (Canvas.width(s) <= w) {
            return s;
        }
        if (w <= 1) {
            return "…";
        }
        int from = s.length();
        int used = 0;
        while (from > 0) {
            int cw = Canvas.width(s.substring(from - 1, from));
            if (used + cw > w - 1) {
                break;
            }
            used += cw;
            from--;
        }
        return "…" + s.substring(from);
    }

    // ---- lower pane --------------------------------------------------------------------------------------------

    private static void pane(MapModel m, Canvas c, Layout l) {
        Layout.Rect r = l.pane();
        StringBuilder t = new StringBuilder();
        for (MapModel.Pane p : m.panes()) {
            String name = p == MapModel.Pane.DETAIL ? "Detail" : p == MapModel.Pane.SUMMARY ? "Summary by kind"
                    : p == MapModel.Pane.STORY ? "Step" : "Changes";
            t.append(p == m.pane() ? "[" + name + "]" : " " + name + " ").append(' ');
        }
        t.append(" Tab switches");
        c.paint(Paint.TITLE);
        c.bar(r.col(), r.row(), "─" + t, r.width());
        Layout.Rect body = new Layout.Rect(r.col(), r.row() + 1, r.width(), r.height() - 1);
        switch (m.pane()) {
            case SUMMARY:
                summary(m, c, body);
                break;
            case CHANGES:
                changes(m, c, body);
                break;
            case STORY:
                story(m, c, body);
                break;
            default:
                detail(m, c, body, l);
                break;
        }
    }

    private static void detail(MapModel m, Canvas c, Layout.Rect r, Layout l) {
        MapModel.Row row = m.selectedRow();
        if (row == null) {
            c.put(r.col(), r.row(), "nothing selected", r.width(), Paint.MUTED);
            return;
        }
        Region reg = row.region();
        Mapping mp = reg.mapping();
        List<Styled> lines = new ArrayList<>();
        String range = Format.addr(mp.start()) + "-" + Format.addr(mp.end()) + "  " + Format.size(mp.size()) + "  "
                + mp.perms() + "  ";
        lines.add(new Styled(range, Paint.PLAIN, null).then(Kinds.name(reg.kind()), Paint.KIND, reg.kind())
                .then(row.removed() ? "  (removed: no longer mapped)" : "", Paint.REMOVED, null)
                .then(reg.owner() != null && !reg.owner().equals(mp.path().name()) ? "  of "
                        + Escape.forTerminal(reg.owner()) : "", Paint.MUTED, null));
        String name = Kinds.nameCell(mp.path());
        if (!name.isEmpty()) {
            lines.add(new Styled(name, Paint.PLAIN, null));
        }
        if (mp.path().isFile()) {
            lines.add(new Styled("offset 0x" + Long.toHexString(mp.offset()) + "  dev " + mp.device() + "  inode "
                    + mp.inode(), Paint.MUTED, null));
        }
        if (reg.tid() != null) {
            lines.add(new Styled("thread: " + thread(m.frame().snapshot(), reg.tid()), Paint.LABEL, null));
        }
        if (!reg.sections().isEmpty()) {
            lines.add(new Styled("sections: " + Escape.forTerminal(String.join(" ", reg.sections())), Paint.PLAIN, null));
        }
        if (reg.evidence() != null) {
            lines.add(new Styled("why " + Kinds.name(reg.kind()) + ": " + Escape.forTerminal(reg.evidence()),
                    Paint.MUTED, null));
        }
        Highlights.Mark mk = row.mark();
        if (mk != null) {
            lines.add(new Styled((m.baseline() != null ? "since the baseline: " : "changed: ") + describe(mk),
                    mk.change().paint(), null));
        }
        Smaps sm = reg.smaps();
        if (sm != null) {
            List<String> figs = new ArrayList<>();
            for (Map.Entry<String, Long> e : sm.bytes().entrySet()) {
                figs.add(e.getKey() + " " + Format.size(e.getValue()));
            }
            for (Map.Entry<String, String> e : sm.values().entrySet()) {
                figs.add(e.getKey() + " " + Escape.forTerminal(e.getValue()));
            }
            flow(lines, "smaps: ", figs, r.width(), Paint.PLAIN);
            VmFlags vf = sm.vmFlags();
            if (vf != null) {
                List<String> fl = new ArrayList<>();
                for (VmFlags.Flag f : vf.flags()) {
                    fl.add(f.code() + (f.meaning() == null ? "" : "=" + f.meaning()));
                }
                flow(lines, "VmFlags: ", fl, r.width(), Paint.PLAIN);
            }
        } else {
            lines.add(new Styled("smaps: not read", Paint.MUTED, null));
        }
        // The heat map block takes the bottom of the pane; the text above it is cut when the pane is short.
        int heatBlock = l.heatRows() + 2;
        int textRows = Math.max(1, r.height() - heatBlock);
        int shown = Math.min(lines.size(), textRows);
        for (int i = 0; i < shown; i++) {
            Styled ln = lines.get(i);
            if (i == shown - 1 && lines.size() > textRows) {
                c.put(r.col(), r.row() + i, "… " + (lines.size() - shown + 1) + " more lines: d shows the pane full"
                        + " height", r.width(), Paint.MUTED);
                break;
            }
            ln.draw(c, r.col(), r.row() + i, r.width());
        }
        heat(m, c, new Layout.Rect(r.col(), r.row() + textRows, r.width(), r.height() - textRows), l);
    }

    private static String describe(Highlights.Mark mk) {
        String what;
        switch (mk.change()) {
            case ADDED:
                what = "new mapping";
                break;
            case GREW_UP:
                what = "grew up (its end moved higher) by " + Format.size(mk.sizeDelta());
                break;
            case GREW_DOWN:
                what = "grew down (its start moved lower) by " + Format.size(mk.sizeDelta());
                break;
            case SHRANK_AT_TOP:
                what = "shrank at the top by " + Format.size(-mk.sizeDelta());
                break;
            case SHRANK_AT_BOTTOM:
                what = "shrank at the bottom by " + Format.size(-mk.sizeDelta());
                break;
            case CHANGED:
                what = "split, merged or permissions changed";
                break;
            default:
                what = "usage changed";
                break;
        }
        return what + (mk.rssDelta() != 0 ? ", rss " + Format.delta(mk.rssDelta()) : "")
                + (mk.age() > 0 ? " (" + mk.age() + " refresh" + (mk.age() == 1 ? "" : "es") + " ago)" : "");
    }

    private static String thread(Snapshot s, int tid) {
        for (ThreadInfo t : s.threads()) {
            if (t.tid() == tid) {
                return "tid " + tid + " (" + Escape.forTerminal(t.comm()) + ", " + t.state() + ")"
                        + (t.stackPointer() != null ? " sp 0x" + Long.toHexString(t.stackPointer()) : "");
            }
        }
        return "tid " + tid;
    }

    private static void flow(List<Styled> out, String label, List<String> items, int width, Paint p) {
        StringBuilder b = new StringBuilder(label);
        String indent = " ".repeat(Math.min(label.length(), 9));
        for (String it : items) {
            String sep = b.length() == label.length() || b.toString().equals(indent) ? "" : " · ";
            if (b.length() + sep.length() + it.length() > width && b.length() > indent.length()) {
                out.add(new Styled(b.toString(), p, null));
                b = new StringBuilder(indent);
                sep = "";
            }
            b.append(sep).append(it);
        }
        if (b.length() > indent.length()) {
            out.add(new Styled(b.toString(), p, null));
        }
    }

    private static void heat(MapModel m, Canvas c, Layout.Rect r, Layout l) {
        Detail d = m.detail();
        HeatSource h = m.heat();
        Region reg = m.selectedRegion();
        int ps = m.frame().snapshot().host().pageSize();
        if (h == null) {
            String why = d != null && d.error() != null && d.mapping().equals(reg.mapping()) ? d.error()
                    : m.selectedRow().removed() ? "removed: nothing to read" : "reading residency ...";
            c.put(r.col(), r.row(), "heat map: " + why, r.width(), d != null && d.error() != null ? Paint.WARNING
                    : Paint.MUTED);
            return;
        }
        long ppc = m.pagesPerCell();
        MappingResidency res = d.residency();
        StringBuilder t = new StringBuilder("heat map: ");
        t.append(Format.size(d.window().size())).append(m.zoomed() ? " in view of " + Format.size(reg.mapping().size())
                : "").append(", ").append(ppc).append(ppc == 1 ? " page" : " pages").append('/').append("cell");
        if (res != null) {
            t.append(" · present ").append(res.residency().present()).append(" of ").append(res.residency().pages());
            if (res.residency().swapped() > 0) {
                t.append(", swapped ").append(res.residency().swapped());
            }
        }
        if (d.path() != null) {
            t.append(" · ").append(d.path());
        }
        if (m.focus() == MapModel.Focus.HEAT) {
            t.append(" · cursor 0x").append(Long.toHexString(m.cursorAddress())).append(" Enter: translate");
        } else {
            t.append(" · Enter: look in, z/Z zoom");
        }
        c.put(r.col(), r.row(), t.toString(), r.width(), Paint.LABEL);
        int w = r.width();
        long[] changed = d.changed();
        for (int b = 0; b < h.cells(); b++) {
            int y = r.row() + 1 + b / w;
            if (y >= r.row() + 1 + l.heatRows()) {
                break;
            }
            HeatCells.Cell cell = HeatCells.cell(h, b);
            boolean cur = m.focus() == MapModel.Focus.HEAT && b == m.heatCursor();
            boolean ch = changed != null && changed[b] > 0;
            Paint p = cur ? Paint.CURSOR : ch ? Paint.CHANGED : heatPaint(cell.category());
            c.put(r.col() + b % w, y, String.valueOf(ch && !cur && !c.palette().hasColour() ? '!' : cell.glyph()), 1, p,
                    heatKind(cell.category()));
        }
        int legendY = r.row() + 1 + l.heatRows();
        StringBuilder lg = new StringBuilder("█▓▒░ present (all/most/some/few) · anon or ");
        lg.append("file (colour) · z zero page · H huge · s swapped · · untouched");
        if (changed != null) {
            lg.append(" · ").append(c.palette().hasColour() ? "yellow" : "!").append(": changed since baseline");
        }
        if (res != null && res.kpages() != null) {
            lg.setLength(0);
            lg.append(kpages(res.kpages(), res.physicalRuns()));
        } else if (res != null && m.frames()) {
            lg.setLength(0);
            lg.append("frames: ").append(res.pfns() == null ? "?" : res.pfns().reason());
        }
        c.put(r.col(), legendY, lg.toString(), r.width(), Paint.MUTED);
        if (m.focus() == MapModel.Focus.HEAT && d.window() != null && ps > 0) {
            // nothing more: the cursor's address is in the heading
        }
    }

    private static String kpages(KPageSummary k, long physicalRuns) {
        StringBuilder b = new StringBuilder("frames: ").append(k.frames()).append(" in ").append(physicalRuns)
                .append(" physical runs · once ").append(k.mappedOnce()).append(", shared ").append(k.shared());
        for (Map.Entry<String, Long> e : k.counts().entrySet()) {
            b.append(" · ").append(e.getKey()).append(' ').append(e.getValue());
        }
        return b.toString();
    }

    private static Paint heatPaint(HeatCells.Category cat) {
        switch (cat) {
            case UNTOUCHED:
            case UNMAPPED:
                return Paint.MUTED;
            default:
                return Paint.KIND;
        }
    }

    /** Heat categories borrow the colours of kinds: anon present green, file blue, zero grey, huge yellow ... */
    private static RegionKind heatKind(HeatCells.Category cat) {
        switch (cat) {
            case PRESENT:
                return RegionKind.DATA;
            case FILE:
                return RegionKind.TEXT;
            case ZERO:
                return RegionKind.RESERVED;
            case HUGE:
                return RegionKind.HEAP;
            case SWAPPED:
                return RegionKind.STACK;
            default:
                return null;
        }
    }

    private static void summary(MapModel m, Canvas c, Layout.Rect r) {
        KindSummary s = m.summary();
        List<Styled> lines = Styled.of(s.present());
        int rows = r.height();
        // The headings, the kinds that fit, then always the total and the check against smaps_rollup.
        int tail = 2;
        int kinds = lines.size() - 1 - tail;
        int room = rows - 1 - tail;
        int y = r.row();
        lines.get(0).draw(c, r.col(), y++, r.width());
        for (int i = 0; i < Math.min(kinds, room); i++) {
            if (i == room - 1 && kinds > room) {
                c.put(r.col(), y++, "… " + (kinds - i) + " more kinds (d: full height)", r.width(), Paint.MUTED);
                break;
            }
            lines.get(1 + i).draw(c, r.col(), y++, r.width());
        }
        for (int i = lines.size() - tail; i < lines.size(); i++) {
            lines.get(i).draw(c, r.col(), y++, r.width());
        }
    }

    /** A demo's stop: what the sample did, the change in its map, each claim with its verdict; wrapped to the pane. */
    private static void story(MapModel m, Canvas c, Layout.Rect r) {
        List<Styled> lines = Styled.wrap(m.story(), r.width());
        if (lines.isEmpty()) {
            c.put(r.col(), r.row(), "starting the sample ...", r.width(), Paint.MUTED);
            return;
        }
        int rows = r.height();
        for (int i = 0; i < Math.min(rows, lines.size()); i++) {
            if (i == rows - 1 && lines.size() > rows) {
                c.put(r.col(), r.row() + i, "… " + (lines.size() - i) + " more lines (d: full height)", r.width(),
                        Paint.MUTED);
                break;
            }
            lines.get(i).draw(c, r.col(), r.row() + i, r.width());
        }
    }

    private static void changes(MapModel m, Canvas c, Layout.Rect r) {
        boolean base = m.baseline() != null;
        DiffResult d = base ? m.frame().sinceBaseline() : m.frame().sincePrevious();
        String what = base ? "since the baseline at " + MapModel.clock(m.baselineAt()) : "since the previous point";
        if (d == null) {
            c.put(r.col(), r.row(), "changes " + what + ": none yet (this is the first point)", r.width(), Paint.MUTED);
            return;
        }
        c.put(r.col(), r.row(), "changes " + what + " (" + MapModel.durationText(d.elapsed()) + "), as 'inspector diff'"
                + " prints them:", r.width(), Paint.LABEL);
        // The diff presenter's own rows: the same changes, words and thresholds as the diff command.
        List<Styled> lines = Styled.of(DiffView.present(d, DiffView.Options.defaults()));
        int rows = r.height() - 1;
        for (int i = 0; i < Math.min(rows, lines.size()); i++) {
            if (i == rows - 1 && lines.size() > rows) {
                c.put(r.col(), r.row() + 1 + i, "… " + (lines.size() - i) + " more lines (d: full height)", r.width(),
                        Paint.MUTED);
                break;
            }
            lines.get(i).draw(c, r.col(), r.row() + 1 + i, r.width());
        }
    }

    // ---- footer and overlays -----------------------------------------------------------------------------------

    private static void footer(MapModel m, Canvas c, Layout l) {
        int y = l.footer().row();
        if (m.prompt() != null) {
            c.paint(Paint.PLAIN);
            c.bar(0, y, m.prompt().label() + m.promptText() + "█", c.cols());
            c.put(Math.max(0, c.cols() - 26), y, "  Enter: ok · Esc: cancel", 26, Paint.MUTED);
            return;
        }
        if (m.messageText() != null) {
            c.paint(m.messagePaint());
            c.bar(0, y, " " + m.messageText(), c.cols());
            return;
        }
        if (m.failure() != null) {
            c.paint(Paint.WARNING);
            c.bar(0, y, " refresh failed (the last good point is shown): " + m.failure(), c.cols());
            return;
        }
        StringBuilder k = new StringBuilder(" ?:help");
        if (m.mode() == MapModel.Mode.REPLAY) {
            k.append(" ]/[:step Space:play }/{:last/first j:jump");
        } else if (m.mode() == MapModel.Mode.LAB) {
            k.append(" x:next step Space:pause");
        } else if (m.mode() == MapModel.Mode.DEMO) {
            k.append(" Enter/x:next step Tab:pane d:taller");
        } else {
            k.append(" Space:").append(m.paused() ? "resume" : "pause").append(" +/-:rate b:baseline");
        }
        k.append(m.mode() == MapModel.Mode.DEMO ? " q:quit /:search \\:filter >:sort g:goto s:save"
                : " Enter:heat /:search \\:filter >:sort g:goto s:save q:quit");
        if (!m.filter().isEmpty()) {
            k.append("  [filter: ").append(m.filterText()).append(']');
        }
        c.paint(Paint.KEYS);
        c.bar(0, y, k.toString(), c.cols());
    }

    private static void help(MapModel m, Canvas c) {
        List<Styled> styled = new ArrayList<>();
        for (Keys.Binding b : Keys.BINDINGS) {
            // the keys as a label: a description wider than the box wraps under its own column, not under the keys
            styled.add(new Styled().then(Canvas.pad(b.keys(), 22), Paint.LABEL, null).then(b.help(), Paint.PLAIN,
                    null));
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        // the legend is laid out for the narrowest box (a terminal of 80 columns: 72 inside)
        lines.add("table markers: + new  ↑+ grew up  ↓+ grew down  ↓- shrank at the top");
        lines.add("               ↑- shrank at the bottom  ~ split, merged or permissions");
        lines.add("               • usage only  - removed (fades after " + Highlights.FADE + " refreshes)");
        lines.add("address column (top = 2^64): kernel half, non-canonical hole, then");
        lines.add("  mappings and gaps; glyphs: T text  R rodata/relro  D data  B bss");
        lines.add("  H heap  M malloc  S stacks  G guard  a anonymous  s shared  f file");
        lines.add("  V vdso/vvar/vsyscall  - reserved");
        lines.add("heat map: a cell is a run of pages; █▓▒░ present (all/most/some/few),");
        lines.add("  z zero page, H huge, s swapped, · never touched;");
        lines.add("  colour: green anonymous, blue file");
        lines.add("filter (\\): words match a name or kind; kind:heap,thread-stack and");
        lines.add("  perm:wx narrow it");
        for (String s : lines) {
            styled.add(new Styled(s, Paint.PLAIN, null));
        }
        popup(c, "keys (any key closes; ↑↓ scroll)", styled, m.popupScroll());
    }

    /**
     * A centred box with a title and lines; scrolls when taller than the screen. The box is at most the screen less 4
     * columns, its text 4 less again (borders and margins): a wider line wraps, under its label when it has one (the
     * keys of the help, a translate step's name), so nothing is cut at 80 columns.
     */
    static void popup(Canvas c, String title, List<Styled> all, int scroll) {
        List<Styled> lines = Styled.wrap(all, c.cols() - 8);
        int w = 0;
        for (Styled s : lines) {
            w = Math.max(w, com.googlecode.lanterna.TerminalTextUtils.getColumnWidth(s.text()));
        }
        w = Math.min(c.cols() - 4, Math.max(w, title.length()) + 4);
        int h = Math.min(c.rows() - 2, lines.size() + 2);
        int x = (c.cols() - w) / 2;
        int y = (c.rows() - h) / 2;
        c.paint(Paint.TITLE);
        c.bar(x, y, " " + title, w);
        int body = h - 2;
        int from = Math.max(0, Math.min(scroll, lines.size() - body));
        for (int i = 0; i < body; i++) {
            c.paint(Paint.PLAIN);
            c.bar(x, y + 1 + i, " │ ", w);
            if (from + i < lines.size()) {
                lines.get(from + i).draw(c, x + 3, y + 1 + i, w - 4);
            }
            c.put(x + w - 1, y + 1 + i, "│", 1, Paint.PLAIN);
        }
        c.paint(Paint.PLAIN);
        String more = from + body < lines.size() ? "┴ " + (lines.size() - from - body) + " more (↓) " : "";
        c.bar(x, y + h - 1, " └" + "─".repeat(Math.max(0, w - 4 - more.length())) + more + "┘", w);
    }

}
