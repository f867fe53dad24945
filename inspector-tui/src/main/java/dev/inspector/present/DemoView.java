package dev.inspector.present;

import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Outcome;
import dev.inspector.core.claims.Tally;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.Demo;
import dev.inspector.core.demo.DemoRun;
import dev.inspector.core.demo.StepChange;
import dev.inspector.core.demo.StepReport;
import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a guided demo as text, one stop at a time: what the program just did, the relevant change in its map
 * (mappings, faults, memory, present pages, frames), and each claim of the documents (paraphrased, with its catalogue
 * id and document) with its verdict and what it was decided from. Verdict colours as in the lab. Every string from a
 * process or the kernel passes through {@link Escape#forTerminal}.
 */
public final class DemoView {

    private static final String INDENT = "  ";
    private static final int LABEL = 10;

    private DemoView() {
    }

    /** One line per demo: its name, title and the claims it checks. */
    public static void list(List<Demo> demos, PrintWriter out) {
        int w = 0;
        for (Demo d : demos) {
            w = Math.max(w, d.name().length());
        }
        for (Demo d : demos) {
            out.println(pad(d.name(), w + 2) + d.title() + " [" + String.join(" ", d.claimIds()) + "]");
        }
    }

    /** The demo's heading, before its first stop. */
    public static void header(Demo d, List<String> command, int pid, Style style, PrintWriter out) {
        out.println(style.bold("inspector demo " + d.name()) + ": " + d.title());
        out.println(d.teaches());
        out.println("sample: " + (command.isEmpty() ? d.program() + " (not started)"
                : Escape.forTerminal(String.join(" ", command)) + " (pid " + pid + ")") + "; claims "
                + String.join(" ", d.claimIds()) + " (see " + Catalogue.PAGE + ")");
    }

    /** One stop in full. */
    public static void step(StepReport r, Style style, PrintWriter out) {
        out.println();
        out.println(style.bold("[" + r.index() + "] " + r.name()) + " (pid " + r.announced().pid() + ")");
        row(out, "did", Escape.forTerminal(r.did()));
        List<String> change = change(r.change(), r.evidence().now());
        for (int i = 0; i < change.size(); i++) {
            row(out, i == 0 ? "change" : "", Escape.forTerminal(change.get(i)));
        }
        for (Check c : r.checks()) {
            check(c, style, out);
        }
    }

    /** A claim: what the documents say (id and document), the verdict and what it rests on. */
    public static void check(Check c, Style style, PrintWriter out) {
        String id = c.claim().id();
        String cite = id == null ? "our own check" : id + ", " + String.join(", ", Catalogue.get(id).documents());
        row(out, "claim", Escape.forTerminal(c.claim().statement()) + " [" + cite + "]");
        Finding f = c.finding();
        String word = LabView.word(c.verdict());
        String first = style.apply(LabView.color(c.verdict()), pad(word, 10));
        if (!f.observed().isEmpty()) {
            row(out, "", first + "seen: " + Escape.forTerminal(f.observed()));
            first = pad("", 10);
        }
        if (f.detail() != null) {
            String what = f.verdict() == Verdict.HOLDS_WITH_NUANCE ? "nuance: "
                    : f.verdict() == Verdict.DIFFERS ? "why: " : "cannot be checked here: ";
            row(out, "", first + what + Escape.forTerminal(f.detail()));
        }
    }

    /** The end of a run: claims that could not run at all, then the counts per verdict. */
    public static void summary(DemoRun run, Style style, PrintWriter out) {
        if (run.unavailable() != null) {
            out.println();
            out.println("the sample cannot run here: " + Escape.forTerminal(run.unavailable()));
            for (Check c : run.skipped()) {
                check(c, style, out);
            }
        }
        Outcome o = run.outcome();
        Tally t = o.tally();
        out.println();
        out.println("summary: " + t.total() + " claims: " + style.apply(Style.GREEN, t.holds() + " hold") + ", "
                + style.apply(t.holdsWithNuance() > 0 ? Style.CYAN : null, t.holdsWithNuance()
                + " hold with a nuance") + ", " + style.apply(t.differs() > 0 ? Style.RED : null, t.differs()
                + " differ") + ", " + style.apply(t.cannotCheck() > 0 ? Style.YELLOW : null, t.cannotCheck()
                + " cannot be checked here") + (run.exitStatus() >= 0 ? "; the sample exited with status "
                + run.exitStatus() : ""));
    }

    /** The change since the process's previous stop, one line per kind of change. */
    static List<String> change(StepChange c, Snapshot now) {
        List<String> out = new ArrayList<>();
        if (c.first()) {
            long rss = now.process().statusMemory().getOrDefault("VmRSS", 0L);
            out.add("first stop of this process: " + now.regions().size() + " mappings, VmRSS "
                    + Format.size(rss));
            return out;
        }
        int shown = 0;
        for (RegionChange rc : c.mappings()) {
            String line = mapping(rc);
            if (line != null) {
                out.add(line);
                shown++;
            }
        }
        out.add("faults: minor +" + c.minorFaults() + ", major +" + c.majorFaults());
        List<String> mem = new ArrayList<>();
        for (DiffResult.FieldDelta f : c.memory()) {
            mem.add(f.name() + " " + Format.delta(f.delta()));
        }
        if (!mem.isEmpty()) {
            out.add("memory: " + String.join(", ", mem));
        }
        for (StepChange.RangeDelta r : c.ranges()) {
            out.add("range." + r.label() + ": " + r.presentBefore() + " -> " + r.presentAfter() + " of " + r.pages()
                    + " pages present");
        }
        for (StepChange.FrameDelta f : c.frames()) {
            if (f.pfnBefore() < 0 && f.pfnAfter() < 0) {
                continue;
            }
            out.add("addr." + f.label() + ": PFN " + pfn(f.pfnBefore()) + (f.moved() ? " -> " + pfn(f.pfnAfter())
                    : " (unchanged)") + (f.mapCountAfter() >= 0 ? ", kpagecount " + f.mapCountBefore() + " -> "
                    + f.mapCountAfter() : ""));
        }
        if (shown == 0) {
            out.add(0, "maps: no mapping changed" + (c.mappings().isEmpty() ? "" : " (only proportional shares"
                    + " moved)"));
        }
        return out;
    }

    private static String pfn(long p) {
        return p < 0 ? "none" : "0x" + Long.toHexString(p);
    }

    private static String mapping(RegionChange rc) {
        List<String> aspects = new ArrayList<>();
        for (Aspect a : rc.aspects()) {
            if (a != Aspect.DETAILS) {
                aspects.add(a.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        String label = rc.label() == null || rc.label().isEmpty() ? "anonymous" : rc.label();
        if (aspects.equals(List.of("usage")) && rc.usageBefore() != null && rc.usageAfter() != null) {
            if (rc.usageBefore().rss() == rc.usageAfter().rss()) {
                return null; // only Pss moved (another process mapped or unmapped the same pages): not this step's doing
            }
            return "maps: " + label + " " + ranges(rc.after()) + ": Rss " + Format.size(rc.usageBefore().rss())
                    + " -> " + Format.size(rc.usageAfter().rss());
        }
        return "maps: " + label + " " + String.join(", ", aspects) + ": " + ranges(rc.before()) + " -> "
                + ranges(rc.after());
    }

    private static String ranges(List<Region> regions) {
        if (regions.isEmpty()) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        for (Region r : regions) {
            Mapping m = r.mapping();
            parts.add(Format.addr(m.start()) + "-" + Format.addr(m.end()) + " " + m.perms() + " "
                    + Format.size(m.size()));
        }
        return String.join(" | ", parts);
    }

    static void row(PrintWriter out, String label, String text) {
        out.println(INDENT + pad(label, LABEL) + text);
    }

    static String pad(String s, int w) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < w) {
            b.append(' ');
        }
        return b.toString();
    }
}
