package dev.inspector.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.inspector.core.model.ProcessList;
import dev.inspector.present.Escape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The process picker of {@code inspector tui} without a PID: every process with pid, user, state, RSS, PSS, mappings
 * and command; typing filters (by command, user or pid), Tab/F6 sorts, Enter opens the map of the selected process.
 * Processes that cannot be mapped are marked with the reason instead of failing when chosen: a kernel thread (no user
 * memory), a zombie (its memory is gone), another user's (its maps and smaps are closed to this user).
 */
public final class PickerModel {

    public enum Sort {
        PID("PID", false), USER("USER", false), STATE("S", false), RSS("RSS", true), PSS("PSS", true),
        MAPS("MAPS", true), COMMAND("COMMAND", false);

        private final String column;
        private final boolean largestFirst;

        Sort(String column, boolean largestFirst) {
            this.column = column;
            this.largestFirst = largestFirst;
        }

        public String column() {
            return column;
        }

        public boolean largestFirst() {
            return largestFirst;
        }
    }

    /** What a key in the picker asks for: nothing, open a pid, or quit. */
    public record Choice(Integer pid, Integer quit) {
        static final Choice NONE = new Choice(null, null);
    }

    private final int self;
    private ProcessList list;
    private List<ProcessList.Row> rows = List.of();
    private final StringBuilder filter = new StringBuilder();
    private Sort sort = Sort.RSS;
    private int selected;
    private int scroll;
    private int pageRows = 20;
    private String message;
    private Paint messagePaint = Paint.PLAIN;
    private int selectedPid = -1;

    public PickerModel(int self) {
        this.self = self;
    }

    /** Why a process cannot be mapped, from what the scan could read of it; null when it can. */
    public static String reason(ProcessList.Row r) {
        if (r.kernelThread()) {
            return "kernel thread: it has no user memory to map";
        }
        if ("Z".equals(r.state())) {
            return "zombie: it exited and its memory is gone";
        }
        if (r.mappings() == null || r.pss() == null) {
            return "another user's (" + Escape.forTerminal(r.user()) + "): its maps are closed to you; run as root"
                    + " or as " + Escape.forTerminal(r.user());
        }
        return null;
    }

    public void list(ProcessList l) {
        this.list = l;
        rebuild();
    }

    public void pageRows(int n) {
        pageRows = Math.max(1, n);
        keepInView();
    }

    public void message(String text, Paint p) {
        message = text;
        messagePaint = p;
    }

    public Choice key(KeyStroke k) {
        KeyType t = k.getKeyType();
        if (t != KeyType.Enter) {
            message = null;
        }
        switch (t) {
            case ArrowUp:
                select(selected - 1);
                return Choice.NONE;
            case ArrowDown:
                select(selected + 1);
                return Choice.NONE;
            case PageUp:
                select(selected - pageRows);
                return Choice.NONE;
            case PageDown:
                select(selected + pageRows);
                return Choice.NONE;
            case Home:
                select(0);
                return Choice.NONE;
            case End:
                select(rows.size() - 1);
                return Choice.NONE;
            case Tab:
            case F6:
                sort = Sort.values()[(sort.ordinal() + 1) % Sort.values().length];
                rebuild();
                return Choice.NONE;
            case ReverseTab:
                sort = Sort.values()[(sort.ordinal() + Sort.values().length - 1) % Sort.values().length];
                rebuild();
                return Choice.NONE;
            case Backspace:
                if (filter.length() > 0) {
                    filter.setLength(filter.length() - 1);
                    rebuild();
                }
                return Choice.NONE;
            case Escape:
                if (filter.length() > 0) {
                    filter.setLength(0);
                    rebuild();
                    return Choice.NONE;
                }
                return new Choice(null, 0);
            case F10:
            case EOF:
                return new Choice(null, 0);
            case Enter:
                if (rows.isEmpty()) {
                    return Choice.NONE;
                }
                ProcessList.Row r = rows.get(selected);
                String why = reason(r);
                if (why != null) {
                    message("pid " + r.pid() + " cannot be mapped: " + why, Paint.WARNING);
                    return Choice.NONE;
                }
                return new Choice(r.pid(), null);
            case Character:
                char c = k.getCharacter();
                if (k.isCtrlDown()) {
                    return c == 'c' || c == 'C' ? new Choice(null, 130) : Choice.NONE;
                }
                if (c >= 0x20 && c != 0x7f && filter.length() < 128) {
                    filter.append(c);
                    rebuild();
                }
                return Choice.NONE;
            default:
                return Choice.NONE;
        }
    }

    private void rebuild() {
        if (list == null) {
            return;
        }
        String f = filter.toString().toLowerCase(Locale.ROOT);
        List<ProcessList.Row> out = new ArrayList<>();
        for (ProcessList.Row r : list.rows()) {
            if (f.isEmpty() || command(r).toLowerCase(Locale.ROOT).contains(f)
                    || r.user().toLowerCase(Locale.ROOT).contains(f) || Integer.toString(r.pid()).startsWith(f)) {
                out.add(r);
            }
        }
        out.sort(comparator());
        rows = out;
        int i = -1;
        for (int k = 0; k < rows.size(); k++) {
            if (rows.get(k).pid() == selectedPid) {
                i = k;
                break;
            }
        }
        select(i < 0 ? 0 : i);
    }

    private Comparator<ProcessList.Row> comparator() {
        Comparator<ProcessList.Row> c;
        switch (sort) {
            case USER:
                c = Comparator.comparing(ProcessList.Row::user);
                break;
            case STATE:
                c = Comparator.comparing(ProcessList.Row::state);
                break;
            case RSS:
                c = Comparator.comparingLong(ProcessList.Row::rss);
                break;
            case PSS:
                c = Comparator.comparingLong(r -> r.pss() == null ? -1 : r.pss());
                break;
            case MAPS:
                c = Comparator.comparingInt(r -> r.mappings() == null ? -1 : r.mappings());
                break;
            case COMMAND:
                c = Comparator.comparing(PickerModel::command);
                break;
            default:
                c = Comparator.comparingInt(ProcessList.Row::pid);
                break;
        }
        if (sort.largestFirst) {
            c = c.reversed();
        }
        return c.thenComparingInt(ProcessList.Row::pid);
    }

    /** The command line (escaped), or the comm in brackets for processes without one (kernel threads). */
    public static String command(ProcessList.Row r) {
        if (r.cmdline().isEmpty()) {
            return "[" + Escape.forTerminal(r.comm()) + "]";
        }
        return Escape.forTerminal(String.join(" ", r.cmdline()));
    }

    private void select(int i) {
        selected = Math.max(0, Math.min(rows.size() - 1, i));
        if (!rows.isEmpty()) {
            selectedPid = rows.get(selected).pid();
        }
        keepInView();
    }

    private void keepInView() {
        if (selected < scroll) {
            scroll = selected;
        } else if (selected >= scroll + pageRows) {
            scroll = selected - pageRows + 1;
        }
        scroll = Math.max(0, Math.min(scroll, Math.max(0, rows.size() - pageRows)));
    }

    public List<ProcessList.Row> rows() {
        return rows;
    }

    public ProcessList list() {
        return list;
    }

    public int selected() {
        return selected;
    }

    public int scroll() {
        return scroll;
    }

    public String filter() {
        return filter.toString();
    }

    public Sort sort() {
        return sort;
    }

    public String messageText() {
        return message;
    }

    public Paint messagePaint() {
        return messagePaint;
    }

    public int self() {
        return self;
    }
}
