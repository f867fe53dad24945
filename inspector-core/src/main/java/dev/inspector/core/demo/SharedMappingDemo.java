package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.residency.PageInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.bits;
import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.pfn;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code shared_mapping} sample: memfd, shared and private file mappings, shared memory across fork (C18 C22 C37 C38). */
final class SharedMappingDemo {

    private SharedMappingDemo() {
    }

    static Demo demo() {
        DemoStep.Probes peek = DemoStep.Probes.peek("shared_anon", "private_anon");
        return new Demo("shared_mapping", "shared_mapping", List.of(), Map.of(),
                "one physical page behind several addresses: memfd, file pages, shared memory across fork",
                "A memfd mapped twice, a file mapped shared and private and written through both, then a shared and a"
                    + " private anonymous page written by a forked child: which addresses share a frame, what a write"
                    + " through each kind of mapping reaches, and what each process sees.",
                List.of(
                        step("memfd_mapped_twice", "created a memfd, mapped it shared twice and wrote through the first"
                                + " address", List.of(samePage("memfd_a", "memfd_b", "two mappings of one memfd"),
                                memfdIsShared())),
                        step("file_mapped_shared_and_private", "mapped a one-page file shared and private and read"
                                + " both", List.of(samePage("file_shared", "file_private", "a shared and a private"
                                + " mapping of one file page"), fileMappingsNamed())),
                        step("file_written_through_both", "wrote through the private, then through the shared mapping",
                                List.of(privateWriteStaysPrivate())),
                        step("before_fork", "wrote a shared and a private anonymous page", List.of(libcShared())),
                        new DemoStep("child_wrote_both", Judges.says("a forked child wrote 'child' into both pages"),
                                List.of(sharedAnonIsOneFrame(), privateAnonCopied()), peek),
                        new DemoStep("parent_after_child", Judges.says("the child exited; the parent read both pages"),
                                List.of(parentSeesOnlyShared()), peek),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    /** The frames behind two addresses compared: equal PFNs as root, else the exclusive bit (clear for both). */
    static Finding samePageFinding(PageInfo a, PageInfo b, String what) {
        if (a == null || b == null || !a.entry().present() || !b.entry().present()) {
            return Finding.differs(what + ": a page is not present");
        }
        if (pfn(a) >= 0 && pfn(b) >= 0) {
            String seen = what + ": PFN " + hex(pfn(a)) + " and " + hex(pfn(b)) + (a.mapCount() >= 0
                    ? ", kpagecount " + a.mapCount() : "");
            return Finding.holdsIf(pfn(a) == pfn(b) && (a.mapCount() < 0 || a.mapCount() >= 2), seen);
        }
        String seen = what + ": " + bits(a) + "; " + bits(b);
        if (a.entry().exclusive() || b.entry().exclusive()) {
            return Finding.differs(seen, "a page is mapped exclusively");
        }
        return Finding.holdsWithNuance(seen, "frame numbers are hidden from this user: the sharing shows only as"
                + " pagemap bit 56 (mapped exclusively) clear on both; run as root to see the one PFN");
    }

    static Expectation<DemoEvidence> samePage(String a, String b, String what) {
        return claim("C37", "several virtual addresses can share one physical page", e ->
                samePageFinding(e.at(a).page(), e.at(b).page(), what + " (" + hex(e.at(a).address()) + ", "
                        + hex(e.at(b).address()) + ")"));
    }

    static Expectation<DemoEvidence> memfdIsShared() {
        return claim("C18", "mmap backs files and shared memory, each shown in maps", e -> {
            Located a = e.at("memfd_a");
            return Finding.holdsIf(a.mapped() && a.mapping().path().isMemfd() && a.mapping().perms().shared(),
                    where(a));
        });
    }

    static Expectation<DemoEvidence> fileMappingsNamed() {
        return claim("C18", "mmap backs files and shared memory, each shown in maps", e -> {
            Located s = e.at("file_shared");
            Located p = e.at("file_private");
            String file = e.step().value("file");
            boolean ok = s.mapped() && p.mapped() && s.mapping().path().name().equals(file)
                    && p.mapping().path().name().equals(file) && s.mapping().perms().shared()
                    && !p.mapping().perms().shared();
            return Finding.holdsIf(ok, where(s) + "; " + where(p));
        });
    }

    static Expectation<DemoEvidence> privateWriteStaysPrivate() {
        return claim("C22", "a private mapping of a file is copy-on-write: a write through it never reaches the file",
                e -> {
                    SampleStep s = e.step();
                    PageInfo shared = e.at("file_shared").page();
                    PageInfo priv = e.at("file_private").page();
                    String seen = "the shared page: " + bits(shared) + "; the private page: " + bits(priv)
                            + "; the file holds '" + s.value("content.file") + "', the private mapping '"
                            + s.value("content.private") + "'";
                    boolean ok = shared != null && priv != null && shared.entry().fileOrSharedAnon()
                            && priv.entry().present() && !priv.entry().fileOrSharedAnon()
                            && s.value("content.file").equals(s.value("content.shared"))
                            && !s.value("content.file").equals(s.value("content.private"))
                            && (pfn(shared) < 0 || pfn(shared) != pfn(priv));
                    return Finding.holdsIf(ok, seen);
                });
    }

    static Expectation<DemoEvidence> libcShared() {
        return claim("C37", "several virtual addresses can share one physical page", e -> {
            if (!e.kpages()) {
                return Finding.cannotCheck(DemoEvidence.NO_KPAGES);
            }
            PageInfo p = e.at("libc_text").page();
            if (p == null || !p.entry().present()) {
                return Finding.differs("libc's page of getpid is not present");
            }
            return Finding.holdsIf(p.mapCount() > 1, "libc's code page at " + hex(e.at("libc_text").address())
                    + ": PFN " + hex(pfn(p)) + ", mapped " + p.mapCount() + " times on this system (kpagecount)");
        });
    }

    static Expectation<DemoEvidence> sharedAnonIsOneFrame() {
        return claim("C37", "several virtual addresses can share one physical page", e -> {
            Located peer = e.peer("shared_anon");
            if (peer == null) {
                return Finding.cannotCheck("the parent (pid " + e.peerPid() + ") could not be read");
            }
            return samePageFinding(e.at("shared_anon").page(), peer.page(), "the shared anonymous page in the child"
                    + " and in the parent");
        });
    }

    static Expectation<DemoEvidence> privateAnonCopied() {
        return claim("C38", "processes cannot see each other's memory: one address can hold different data in two"
                + " processes", e -> {
                    String child = DemoEvidence.word(e.memory("private_anon"));
                    String parent = DemoEvidence.word(e.peerMemory("private_anon"));
                    Located peer = e.peer("private_anon");
                    if (child == null || parent == null || peer == null) {
                        return Finding.cannotCheck("the memory of both processes could not be read");
                    }
                    PageInfo c = e.at("private_anon").page();
                    String seen = "the private page holds '" + child + "' in the child and '" + parent + "' in the"
                            + " parent" + (e.pfns() ? "; PFN " + hex(pfn(c)) + " vs " + hex(pfn(peer.page())) : "");
                    boolean ok = !child.equals(parent) && (!e.pfns() || pfn(c) != pfn(peer.page()));
                    return ok ? Finding.holdsWithNuance(seen, "isolation has doors: this check read both processes"
                            + " (allowed to root and the same user), and the shared page next to it is one frame in"
                            + " both on purpose") : Finding.differs(seen);
                });
    }

    static Expectation<DemoEvidence> parentSeesOnlyShared() {
        return claim("C38", "processes cannot see each other's memory: one address can hold different data in two"
                + " processes", e -> {
                    String shared = DemoEvidence.word(e.memory("shared_anon"));
                    String priv = DemoEvidence.word(e.memory("private_anon"));
                    if (shared == null || priv == null) {
                        return Finding.cannotCheck("the parent's memory could not be read");
                    }
                    String seen = "after the child's writes the parent reads '" + shared + "' in the shared page and '"
                            + priv + "' in the private one";
                    boolean ok = shared.equals("child") && !priv.equals("child")
                            && "1".equals(e.step().value("shared_sees_child"))
                            && "0".equals(e.step().value("private_sees_child"));
                    return ok ? Finding.holdsWithNuance(seen, "a shared mapping is a deliberate door between processes:"
                            + " the child's write is visible to the parent; the private page kept the parent's data")
                            : Finding.differs(seen);
                });
    }
}
