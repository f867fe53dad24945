package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.residency.PageInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.pfn;

/** The {@code cow_fork} sample: after fork both processes share frames until one writes (C37 C38). */
final class CowForkDemo {

    static final List<String> PAGES = List.of("global", "anon");

    private CowForkDemo() {
    }

    static Demo demo() {
        DemoStep.Probes peek = DemoStep.Probes.peek("global", "anon");
        return new Demo("cow_fork", "cow_fork", List.of(), Map.of(),
                "after fork, parent and child share frames until one of them writes (copy-on-write)",
                "Two private pages (a page-aligned global in .bss and an anonymous mmap) written by a parent, then"
                    + " followed through fork, a write by the child and a write by the parent: the frame behind each"
                    + " address in both processes, its map count, and what each process reads there.",
                List.of(
                        new DemoStep("parent_before_fork", Judges.says("the parent wrote 'parent' into both pages"),
                                List.of(), peek),
                        new DemoStep("child_before_write", Judges.says("forked; the child has not written anything"),
                                List.of(sharedFrames()), peek),
                        new DemoStep("child_after_write", Judges.says("the child wrote 'child' into both pages"),
                                List.of(childGotCopies()), peek),
                        new DemoStep("parent_after_child_write", Judges.says("back in the parent, which has not"
                                + " written since the fork"), List.of(parentKeptFrames()), peek),
                        new DemoStep("parent_after_own_write", Judges.says("the parent wrote 'parent_again' into both"
                                + " pages"), List.of(differentDataSameAddress()), peek),
                        Judges.step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> sharedFrames() {
        return claim("C37", "several virtual addresses can share one physical page", e -> {
            List<String> seen = new ArrayList<>();
            boolean allShared = true;
            for (String label : PAGES) {
                Located mine = e.at(label);
                Located other = e.peer(label);
                if (other == null || other.page() == null || mine.page() == null) {
                    return Finding.cannotCheck("the parent (pid " + e.peerPid() + ") could not be read");
                }
                PageInfo a = mine.page();
                PageInfo b = other.page();
                if (e.pfns()) {
                    boolean same = pfn(a) >= 0 && pfn(a) == pfn(b);
                    allShared &= same && a.mapCount() != 1;
                    seen.add(label + ": child PFN " + hex(pfn(a)) + ", parent PFN " + hex(pfn(b))
                            + (a.mapCount() >= 0 ? ", kpagecount " + a.mapCount() : ""));
                } else {
                    boolean shared = a.entry().present() && b.entry().present() && !a.entry().exclusive()
                            && !b.entry().exclusive();
                    allShared &= shared;
                    seen.add(label + ": exclusive bit " + (a.entry().exclusive() ? 1 : 0) + " in the child, "
                            + (b.entry().exclusive() ? 1 : 0) + " in the parent");
                }
            }
            String observed = String.join("; ", seen);
            if (!allShared) {
                return Finding.differs(observed);
            }
            return e.pfns() ? Finding.holds(observed) : Finding.holdsWithNuance(observed, "frame numbers are hidden"
                    + " from this user: the sharing shows only as pagemap bit 56 (mapped exclusively) being clear in"
                    + " both processes; run as root to see the one PFN");
        });
    }

    static Expectation<DemoEvidence> childGotCopies() {
        return claim("C38", "processes cannot see each other's memory: one address can hold different data in two"
                + " processes", e -> {
                    List<String> seen = new ArrayList<>();
                    boolean ok = true;
                    for (String label : PAGES) {
                        String mine = DemoEvidence.word(e.memory(label));
                        String theirs = DemoEvidence.word(e.peerMemory(label));
                        Located a = e.at(label);
                        Located b = e.peer(label);
                        if (mine == null || theirs == null || b == null || b.page() == null || a.page() == null) {
                            return Finding.cannotCheck("the memory of both processes could not be read at "
                                    + hex(a.address()));
                        }
                        ok &= !mine.equals(theirs) && a.page().entry().exclusive() && b.page().entry().exclusive();
                        String frames = e.pfns() ? ", PFN " + hex(pfn(a.page())) + " vs " + hex(pfn(b.page()))
                                : ", both mapped exclusively: " + a.page().entry().exclusive();
                        ok &= !e.pfns() || pfn(a.page()) != pfn(b.page());
                        seen.add(label + " " + hex(a.address()) + ": '" + mine + "' in the child, '" + theirs
                                + "' in the parent" + frames);
                    }
                    String observed = String.join("; ", seen);
                    return ok ? Finding.holdsWithNuance(observed, "the child's write gave it copies of its own; but"
                            + " the isolation has doors: this very check read both processes' memory"
                            + " through /proc/PID/mem (allowed to root and to the same user), and shared mappings"
                            + " share on purpose") : Finding.differs(observed);
                });
    }

    static Expectation<DemoEvidence> parentKeptFrames() {
        return claim("C38", "processes cannot see each other's memory: one address can hold different data in two"
                + " processes", e -> {
                    if (!e.pfns()) {
                        return Finding.cannotCheck(DemoEvidence.NO_PFNS);
                    }
                    DemoEvidence start = e.earlierAt("parent_before_fork");
                    if (start == null) {
                        return Finding.cannotCheck("the parent was not measured before the fork");
                    }
                    List<String> seen = new ArrayList<>();
                    boolean ok = true;
                    for (String label : PAGES) {
                        long then = pfn(start.at(label).page());
                        PageInfo now = e.at(label).page();
                        String word = DemoEvidence.word(e.memory(label));
                        ok &= pfn(now) == then && (now.mapCount() < 0 || now.mapCount() == 1) && "parent".equals(word);
                        seen.add(label + ": PFN " + hex(then) + " before the fork, " + hex(pfn(now)) + " now"
                                + (now.mapCount() >= 0 ? ", kpagecount " + now.mapCount() : "") + ", reads '" + word
                                + "'");
                    }
                    String observed = String.join("; ", seen);
                    return ok ? Finding.holdsWithNuance(observed, "after fork both processes mapped these frames"
                            + " until the child wrote: the writer got the copy, and the parent kept its frame, now"
                            + " mapped once again") : Finding.differs(observed);
                });
    }

    static Expectation<DemoEvidence> differentDataSameAddress() {
        return claim("C38", "processes cannot see each other's memory: one address can hold different data in two"
                + " processes", e -> {
                    List<String> seen = new ArrayList<>();
                    boolean differ = true;
                    boolean reused = e.pfns();
                    DemoEvidence before = e.earlierAt("parent_after_child_write");
                    for (String label : PAGES) {
                        String mine = DemoEvidence.word(e.memory(label));
                        String theirs = DemoEvidence.word(e.peerMemory(label));
                        if (mine == null || theirs == null) {
                            return Finding.cannotCheck("the memory of both processes could not be read");
                        }
                        differ &= !mine.equals(theirs);
                        long now = pfn(e.at(label).page());
                        long then = before == null ? -2 : pfn(before.at(label).page());
                        reused &= now >= 0 && now == then;
                        seen.add(label + ": '" + mine + "' in the parent, '" + theirs + "' in the child"
                                + (e.pfns() ? ", parent PFN " + hex(then) + " -> " + hex(now) : ""));
                    }
                    String observed = String.join("; ", seen);
                    if (!differ) {
                        return Finding.differs(observed);
                    }
                    return reused ? Finding.holdsWithNuance(observed, "the parent's write copied nothing: the kernel"
                            + " reuses a copy-on-write page that nobody else maps any more") : Finding.holds(observed);
                });
    }
}
