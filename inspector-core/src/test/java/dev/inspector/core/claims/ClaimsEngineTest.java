package dev.inspector.core.claims;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claims engine on its own: every verdict a judge can reach, what each check says, aggregation and its
 * precedence, and judges that fail. The evidence here is a plain record, because the engine decides from whatever the
 * caller measured; the lab's tests judge real measurements of the test JVM through the same engine.
 */
class ClaimsEngineTest {

    /** Evidence as a caller might measure it: a page size and a count of present pages of some range. */
    record Measured(long pageSize, long present, long pages) {
    }

    private static final Measured SEEN = new Measured(4096, 12, 16);

    /** An expectation on the present count; the nuance is stated when a smaller page size was measured. */
    private static Expectation<Measured> presentPages(long want) {
        return Expectation.<Measured>of(want + " pages present", m -> {
            String seen = m.present() + " of " + m.pages() + " present";
            if (m.present() != want) {
                return Finding.differs(seen, (m.pages() - m.present()) + " were never touched");
            }
            return m.pageSize() == 4096 ? Finding.holds(seen)
                    : Finding.holdsWithNuance(seen, "pages are " + m.pageSize() + " bytes here");
        }).citing("C31");
    }

    @Test
    void holdsWhenTheMeasuredValueMatches() {
        Check c = presentPages(12).check(SEEN);
        assertEquals(Verdict.HOLDS, c.verdict());
        assertEquals("12 of 16 present", c.observed());
        assertEquals("12 of 16 present", c.detail());
        assertEquals("C31", c.claim().id());
        assertNull(c.finding().detail());
    }

    @Test
    void holdsWithTheNuanceStated() {
        Check c = presentPages(12).check(new Measured(16384, 12, 16));
        assertEquals(Verdict.HOLDS_WITH_NUANCE, c.verdict());
        assertEquals("pages are 16384 bytes here", c.detail());
        assertEquals("12 of 16 present", c.observed());
    }

    @Test
    void aWrongExpectationDiffersAndNamesTheMeasuredValue() {
        Check c = presentPages(13).check(SEEN);
        assertEquals(Verdict.DIFFERS, c.verdict());
        assertEquals("expected 13 pages present; the kernel shows 12 of 16 present; 4 were never touched", c.detail());
        Check plain = Expectation.<Measured>of("a page size of 8192", m ->
                Finding.holdsIf(m.pageSize() == 8192, "page size " + m.pageSize())).check(SEEN);
        assertEquals(Verdict.DIFFERS, plain.verdict());
        assertEquals("expected a page size of 8192; the kernel shows page size 4096", plain.detail());
    }

    @Test
    void cannotCheckSaysWhatIsMissing() {
        Check c = Expectation.<Measured>of("the zero page is PFN 0x3b34", m -> Finding.cannotCheck("not root: PFNs"
                + " read as 0")).check(SEEN);
        assertEquals(Verdict.CANNOT_CHECK, c.verdict());
        assertEquals("not root: PFNs read as 0", c.detail());
        assertEquals("", c.observed());
        Check unmeasured = Check.unmeasured(Claim.of("a 2 MiB hugetlb page").citing("C34"), "no hugetlb pool");
        assertEquals(Verdict.CANNOT_CHECK, unmeasured.verdict());
        assertEquals("no hugetlb pool", unmeasured.detail());
    }

    @Test
    void aJudgeThatThrowsOrGivesNothingCannotCheckAndNeverHolds() {
        Check thrown = Expectation.<Measured>of("the heap exists", m -> {
            throw new IllegalStateException("no [heap] line");
        }).check(SEEN);
        assertEquals(Verdict.CANNOT_CHECK, thrown.verdict());
        assertEquals("could not be judged: the judge failed with IllegalStateException: no [heap] line",
                thrown.detail());
        Check npe = Expectation.<Measured>of("anything", m -> Finding.holds(m.toString())).check(null);
        assertEquals(Verdict.CANNOT_CHECK, npe.verdict());
        assertTrue(npe.detail().startsWith("could not be judged: the judge failed with NullPointerException"),
                npe.detail());
        Check none = Expectation.<Measured>of("anything", m -> null).check(SEEN);
        assertEquals(Verdict.CANNOT_CHECK, none.verdict());
        assertEquals("could not be judged: the judge gave no finding", none.detail());
    }

    @Test
    void findingsNeedWhatTheirVerdictIsDecidedFrom() {
        assertThrows(IllegalArgumentException.class, () -> Finding.holds(" "));
        assertThrows(NullPointerException.class, () -> Finding.differs(null));
        assertThrows(NullPointerException.class, () -> Finding.holdsWithNuance("1", null));
        assertThrows(IllegalArgumentException.class, () -> Finding.cannotCheck(""));
        assertThrows(IllegalArgumentException.class, () -> new Finding(Verdict.HOLDS, "1", "a hidden nuance",
                List.of()));
        assertThrows(IllegalArgumentException.class, () -> Finding.differs("1", " "));
        assertThrows(IllegalArgumentException.class, () -> Claim.of(""));
        assertThrows(IllegalArgumentException.class, () -> Claim.of("x").citing(""));
    }

    @Test
    void claimsKeepTheirCitationWhenRestated() {
        Claim c = Claim.of("reads map the zero page").citing("C31").from("001_bf4af54eb7831092.txt");
        Claim r = c.restated("(deliberately wrong) reads map 65 pages");
        assertEquals("C31", r.id());
        assertEquals("001_bf4af54eb7831092.txt", r.document());
        assertEquals("(deliberately wrong) reads map 65 pages", r.statement());
        assertEquals("C31", presentPages(1).restated("other words").claim().id());
    }

    @Test
    void evidenceStaysStructuredAndImmutable() {
        List<String> before = new ArrayList<>(List.of("7f00-7f01 rw-p"));
        Evidence.Change ch = Evidence.change("maps", before, List.of("7f00-7f01 r--p"));
        before.add("changed later");
        assertEquals(List.of("7f00-7f01 rw-p"), ch.before());
        assertFalse(ch.unchanged());
        assertTrue(Evidence.change("brk(0)", 0x1000L, 0x1000L).unchanged());
        Finding f = Finding.holds("4096").with(Evidence.value("page size", 4096), Evidence.lines("auxv",
                List.of("AT_PAGESZ 4096")));
        assertEquals(2, f.evidence().size());
        assertEquals("4096", ((Evidence.Value) f.evidence().get(0)).value());
        assertEquals(List.of("AT_PAGESZ 4096"), ((Evidence.Lines) f.evidence().get(1)).lines());
        assertThrows(UnsupportedOperationException.class, () -> f.evidence().add(Evidence.value("x", 1)));
    }

    // ---- aggregation ----

    private static Check holds() {
        return new Check(Claim.of("h"), Finding.holds("seen h"));
    }

    private static Check nuance(String n) {
        return new Check(Claim.of("n"), Finding.holdsWithNuance("seen n", n));
    }

    private static Check differs(String what) {
        return new Check(Claim.of(what), Finding.differs("other than " + what));
    }

    private static Check cannot(String missing) {
        return new Check(Claim.of("c"), Finding.cannotCheck(missing));
    }

    @Test
    void aGroupHoldsOnlyWhenEveryMemberHolds() {
        Outcome o = Outcome.of(List.of(holds(), holds(), holds()));
        assertEquals(Verdict.HOLDS, o.verdict());
        assertEquals("3 of 3 expectations measured and met", o.reason());
        assertEquals(new Tally(3, 0, 0, 0), o.tally());
    }

    @Test
    void precedenceIsDiffersThenCannotCheckThenNuanceThenHolds() {
        assertEquals(Verdict.HOLDS_WITH_NUANCE, Outcome.of(List.of(holds(), nuance("n1"))).verdict());
        assertEquals(Verdict.CANNOT_CHECK, Outcome.of(List.of(nuance("n1"), cannot("m1"), holds())).verdict());
        assertEquals(Verdict.DIFFERS, Outcome.of(List.of(cannot("m1"), nuance("n1"), differs("d1"))).verdict());
        // the verdict does not depend on the order of the members
        List<Check> all = new ArrayList<>(List.of(holds(), nuance("n1"), cannot("m1"), differs("d1"), holds()));
        for (int i = 0; i < 5; i++) {
            Collections.rotate(all, 1);
            Outcome o = Outcome.of(all);
            assertEquals(Verdict.DIFFERS, o.verdict());
            assertEquals(new Tally(2, 1, 1, 1), o.tally());
        }
        assertTrue(Verdict.DIFFERS.rank() > Verdict.CANNOT_CHECK.rank());
        assertTrue(Verdict.CANNOT_CHECK.rank() > Verdict.HOLDS_WITH_NUANCE.rank());
        assertTrue(Verdict.HOLDS_WITH_NUANCE.rank() > Verdict.HOLDS.rank());
        assertEquals(Verdict.DIFFERS, Verdict.worse(Verdict.CANNOT_CHECK, Verdict.DIFFERS));
        assertEquals(Verdict.CANNOT_CHECK, Verdict.worse(Verdict.CANNOT_CHECK, Verdict.HOLDS_WITH_NUANCE));
    }

    @Test
    void theReasonComesFromTheFirstDecisiveMember() {
        Outcome d = Outcome.of(List.of(holds(), differs("d1"), differs("d2")));
        assertEquals("expected d1; the kernel shows other than d1", d.reason());
        Outcome c = Outcome.of(List.of(holds(), cannot("not root"), cannot("no hugetlb pool")));
        assertEquals("not root", c.reason());
        Outcome n = Outcome.of(List.of(nuance("n1"), holds(), nuance("n2"), nuance("n1")));
        assertEquals("4 of 4 expectations measured and met, 3 with a nuance: n1; n2", n.reason());
        assertEquals("n1; n2", n.detail());
    }

    @Test
    void nothingJudgedCannotBeChecked() {
        Outcome o = Outcome.of(List.of());
        assertEquals(Verdict.CANNOT_CHECK, o.verdict());
        assertEquals("no expectations were judged", o.reason());
        assertEquals(Verdict.CANNOT_CHECK, Tally.NONE.verdict());
    }

    @Test
    void groupsOfGroupsAggregateTheSameWay() {
        Outcome step1 = Outcome.of(List.of(holds(), holds()));
        Outcome step2 = Outcome.of(List.of(holds(), nuance("pages were already exclusive")));
        Outcome step3 = Outcome.of(List.of(cannot("CONFIG_ANON_VMA_NAME is off"), holds()));
        Outcome run = Outcome.of(List.of(step1, step2, step3), "steps");
        assertEquals(Verdict.CANNOT_CHECK, run.verdict());
        assertEquals("CONFIG_ANON_VMA_NAME is off", run.reason());
        assertEquals(new Tally(1, 1, 0, 1), run.tally());
        Outcome nuanced = Outcome.of(List.of(step1, step2), "steps");
        assertEquals("2 of 2 steps measured and met, 1 with a nuance: pages were already exclusive",
                nuanced.reason());
        Outcome failed = Outcome.of(List.of(step3, Outcome.of(List.of(differs("d")))), "steps");
        assertEquals(Verdict.DIFFERS, failed.verdict());
        assertEquals("expected d; the kernel shows other than d", failed.reason());
    }

    @Test
    void tallyCountsEachVerdict() {
        Tally t = Tally.NONE.plus(Verdict.HOLDS).plus(Verdict.DIFFERS).plus(Verdict.CANNOT_CHECK)
                .plus(Verdict.HOLDS_WITH_NUANCE).plus(Verdict.HOLDS);
        assertEquals(5, t.total());
        for (Verdict v : Verdict.values()) {
            assertEquals(v == Verdict.HOLDS ? 2 : 1, t.count(v), v.name());
        }
        assertEquals(Verdict.DIFFERS, t.verdict());
        assertThrows(IllegalArgumentException.class, () -> new Tally(-1, 0, 0, 0));
    }

    @Test
    void checkAllJudgesEachOnTheSameEvidenceInOrder() {
        List<Check> checks = Expectation.checkAll(List.of(presentPages(12), presentPages(11)), SEEN);
        assertEquals(List.of(Verdict.HOLDS, Verdict.DIFFERS), List.of(checks.get(0).verdict(),
                checks.get(1).verdict()));
    }

    /** The engine is a leaf: it imports only java.util, does no I/O and prints nothing. */
    @Test
    void theEngineDependsOnNothingButJavaUtil() throws IOException {
        Path dir = Paths.get("src/main/java/dev/inspector/core/claims");
        List<Path> sources;
        try (var files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().collect(java.util.stream.Collectors
                    .toList());
        }
        assertTrue(sources.size() >= 9, sources.toString());
        for (Path p : sources) {
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith("import ")) {
                    assertTrue(line.startsWith("import java.util."), p.getFileName() + ": " + line);
                }
                assertFalse(line.contains("System.out") || line.contains("System.err") || line.contains("java.io"),
                        p.getFileName() + ": " + line);
            }
        }
    }
}
