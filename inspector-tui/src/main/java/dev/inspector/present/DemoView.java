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

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A guided demo as blocks, one stop at a time: what the program just did, the relevant change in its map (mappings,
 * faults, memory, present pages, frames), and each claim of the documents (paraphrased, with its catalogue id and
 * documents) with its verdict and what it was decided from. Verdict words carry a role ({@link #role}): holds, nuance,
 * differs (an error), unchecked (a warning). Every string from a process or the kernel passes through
 * {@link Escape#forTerminal}.
 */
public final class DemoView {

    private static final String INDENT = "  ";
    private static final int LABEL = 10;
    private static final int WORD = 10;

    private DemoView() {
    }

    /** The role a verdict is drawn in. */
    public static Role role(Verdict v) {
        switch (v) {
            case HOLDS:
                return Role.HOLDS;
            case HOLDS_WITH_NUANCE:
                return Role.NUANCE;
            case DIFFERS:
                return Role.ERROR;
            default:
                return Role.WARNING;
        }
    }

    /** A verdict in one word: holds, nuance, differs, unchecked. */
    public static String word(Verdict v) {
        switch (v) {
            case HOLDS:
                return "holds";
            case HOLDS_WITH_NUANCE:
                return "nuance";
            case DIFFERS:
                return "differs";
            default:
                return "unchecked";
        }
    }

    /** One line per demo: its name, title and the claims it checks. */
    public static List<Block> list(List<Demo> demos) {
        List<Row> rows = new ArrayList<>();
        for (Demo d : demos) {
            rows.add(Row.of(d.name(), d.title() + " [" + String.join(" ", d.claimIds()) + "]"));
        }
        // On a narrow terminal the description is cut (marked), never the name one types.
        return List.of(new ListTable(List.of(Column.left("DEMO"), Column.left("WHAT IT SHOWS [CLAIMS]").shrinks(1, 20)),
                rows));
    }

    /** The demo's heading, before its first stop ({@code command} empty when the sample was not started). */
    public static List<Block> header(Demo d, List<String> command, int pid) {
        return List.of(
                Line.of(Span.of(Role.TOTAL, "inspector demo " + d.name()), Span.plain(": " + d.title())),
                Line.of(d.teaches()),
                Line.of("sample: " + (command.isEmpty() ? d.program() + " (not started)"
                        : Escape.forTerminal(String.join(" ", command)) + " (pid " + pid + ")") + "; claims "
                        + String.join(" ", d.claimIds()) + " (see " + Catalogue.PAGE + ")"));
    }

    /** One stop in full. */
    public static List<Block> step(StepReport r) {
        List<Block> out = new ArrayList<>();
        out.add(Line.blank());
        out.add(Line.of(Span.of(Role.TOTAL, "[" + r.index() + "] " + r.name()), Span.plain(" (pid "
                + r.announced().pid() + ")")));
        out.add(row("did", Escape.forTerminal(r.did())));
        List<String> change = change(r.change(), r.evidence().now());
        for (int i = 0; i < change.size(); i++) {
            out.add(row(i == 0 ? "change" : "", Escape.forTerminal(change.get(i))));
        }
        for (Check c : r.checks()) {
            out.addAll(check(c));
        }
        return out;
    }

    /** The prompt between stops of a guided walk. */
    public static Line prompt() {
        return Line.of(Role.MUTED, "-- Enter: next step (the sample stays stopped until then) --");
    }

    /** A claim: what the documents say (id and documents), the verdict and what it rests on. */
    public static List<Block> check(Check c) {
        List<Block> out = new ArrayList<>();
        String id = c.claim().id();
        String cite = id == null ? "our own check" : id + ", " + String.join(", ", Catalogue.get(id).documents());
        out.add(row("claim", Escape.forTerminal(c.claim().statement()) + " [" + cite + "]"));
        Finding f = c.finding();
        Span first = Span.of(role(c.verdict()), pad(word(c.verdict()), WORD));
        if (!f.observed().isEmpty()) {
            out.add(row("", first, Span.plain("seen: " + Escape.forTerminal(f.observed()))));
            first = Span.plain(pad("", WORD));
        }
        if (f.detail() != null) {
            String what = f.verdict() == Verdict.HOLDS_WITH_NUANCE ? "nuance: "
                    : f.verdict() == Verdict.DIFFERS ? "why: " : "cannot be checked here: ";
            out.add(row("", first, Span.plain(what + Escape.forTerminal(f.detail()))));
        }
        return out;
    }

    /** The end of a run: claims that could not run at all, then the counts per verdict. */
    public static List<Block> summary(DemoRun run) {
        List<Block> out = new ArrayList<>();
        if (run.unavailable() != null) {
            out.add(Line.blank());
            out.add(Line.of(Role.WARNING, "the sample cannot run here: " + Escape.forTerminal(run.unavailable())));
            for (Check c : run.skipped()) {
                out.addAll(check(c));
            }
        }
        out.add(Line.blank());
        int n = run.outcome().tally().total();
        out.add(tally("summary: " + n + (n == 1 ? " claim: " : " claims: "), run.outcome(),
                run.exitStatus() >= 0 ? "; the sample exited with status " + run.exitStatus() : ""));
        return out;
    }

    /**
     * What a demo closed before its end had shown: how far it got and the verdicts of the claims judged so far (the
     * sample was ended with the screen).
     */
    public static List<Block> partial(List<StepReport> shown) {
        List<Check> checks = new ArrayList<>();
        for (StepReport r : shown) {
            checks.addAll(r.checks());
        }
        List<Block> out = new ArrayList<>();
        out.add(Line.blank());
        if (shown.isEmpty()) {
            out.add(Line.of("closed before the first stop: no claim was judged; the sample was ended"));
            return out;
        }
        StepReport last = shown.get(shown.size() - 1);
        Outcome o = Outcome.of(checks, "claims");
        int n = o.tally().total();
        out.add(tally("closed at [" + last.index() + "] " + last.name() + ", " + n + (n == 1 ? " claim" : " claims")
                + " judged so far: ", o, "; the sample was ended"));
        return out;
    }

    /** "PREFIX n hold, n hold with a nuance, n differ, n cannot be checked here SUFFIX", each count in its role. */
    static Line tally(String prefix, Outcome o, String suffix) {
        Tally t = o.tally();
        return Line.of(Span.plain(prefix),
                Span.of(Role.HOLDS, t.holds() + " hold"), Span.plain(", "),
                Span.of(t.holdsWithNuance() > 0 ? Role.NUANCE : Role.PLAIN, t.holdsWithNuance()
                        + " hold with a nuance"), Span.plain(", "),
                Span.of(t.differs() > 0 ? Role.ERROR : Role.PLAIN, t.differs() + " differ"), Span.plain(", "),
                Span.of(t.cannotCheck() > 0 ? Role.WARNING : Role.PLAIN, t.cannotCheck() + " cannot be checked here"),
                Span.plain(suffix));
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

    /** A labelled line; wrapped on a narrow screen, it continues under its text, not at column 0. */
    static Line row(String label, String text) {
        return Line.of(Span.of(Role.LABEL, INDENT + pad(label, LABEL)), Span.plain(text))
                .hanging(INDENT.length() + LABEL);
    }

    /** A labelled line of several spans (a verdict word, then text): continuation lines start under the text. */
    static Line row(String label, Span... rest) {
        List<Span> spans = new ArrayList<>();
        spans.add(Span.of(Role.LABEL, INDENT + pad(label, LABEL)));
        spans.addAll(List.of(rest));
        int hang = INDENT.length() + LABEL + (rest.length > 1 ? rest[0].text().length() : 0);
        return new Line(spans, hang);
    }

    static String pad(String s, int w) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < w) {
            b.append(' ');
        }
        return b.toString();
    }
}
