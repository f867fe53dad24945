package dev.inspector.core.demo;

import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.residency.PageInfo;

import java.util.List;
import java.util.function.Function;

/** Small pieces the demos' judges share: citing a claim, naming what was measured, common verdicts. */
final class Judges {

    private Judges() {
    }

    /** An expectation citing catalogue claim {@code id}, {@code statement} being the documents' claim in our words. */
    static Expectation<DemoEvidence> claim(String id, String statement, Expectation.Judge<DemoEvidence> judge) {
        return new Expectation<>(Catalogue.claim(id, statement), judge);
    }

    /** Narration that does not depend on the announced values. */
    static Function<SampleStep, String> says(String text) {
        return s -> text;
    }

    static DemoStep step(String name, String did, List<Expectation<DemoEvidence>> claims) {
        return new DemoStep(name, says(did), claims, DemoStep.Probes.NONE);
    }

    static DemoStep step(String name, Function<SampleStep, String> did, List<Expectation<DemoEvidence>> claims) {
        return new DemoStep(name, did, claims, DemoStep.Probes.NONE);
    }

    static String hex(long a) {
        return DemoEvidence.hex(a);
    }

    static String size(long bytes) {
        return dev.inspector.core.model.ByteSize.of(bytes);
    }

    /** How a located address reads in a finding: "0x… in r-xp …/segments (text)" or "0x… in no mapping". */
    static String where(DemoEvidence.Located l) {
        if (!l.mapped()) {
            return l.label() + " " + hex(l.address()) + " in no mapping";
        }
        return l.label() + " " + hex(l.address()) + " in " + brief(l.region());
    }

    /** A region in a few words: its range, permissions, path and kind. */
    static String brief(Region r) {
        Mapping m = r.mapping();
        String p = m.path().kernelText();
        return hex(m.start()) + "-" + hex(m.end()) + " " + m.perms() + (p.isEmpty() ? " (anonymous)" : " " + p)
                + " [" + r.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "]";
    }

    static boolean anonymous(Mapping m) {
        return m.path().type() == MappingPath.Type.ANONYMOUS && m.inode() == 0;
    }

    /** True when the mapping is the process's own executable file. */
    static boolean exe(Snapshot s, Mapping m) {
        return m != null && m.path().isFile() && m.path().name().equals(s.process().exe());
    }

    /** Pagemap bits of one page in words: "present, anonymous, exclusive, PFN 0x…". */
    static String bits(PageInfo p) {
        if (p == null) {
            return "no pagemap entry";
        }
        if (!p.entry().present()) {
            return p.entry().swapped() ? "swapped" : "not present";
        }
        StringBuilder b = new StringBuilder("present");
        b.append(p.entry().fileOrSharedAnon() ? ", file/shared (bit 61)" : ", anonymous (bit 61 clear)");
        if (p.entry().exclusive()) {
            b.append(", exclusive (bit 56)");
        }
        if (p.entry().pfn() >= 0) {
            b.append(", PFN ").append(hex(p.entry().pfn()));
        }
        if (p.mapCount() >= 0) {
            b.append(", kpagecount ").append(p.mapCount());
        }
        return b.toString();
    }

    static long pfn(PageInfo p) {
        return p == null || !p.entry().present() ? -1 : p.entry().pfn();
    }

    /** The fault's announced keys checked against the kernel's maps: the claim about the access, stated by caller. */
    static Finding fault(DemoEvidence e, String wantCode, boolean atTarget) {
        SampleStep s = e.step();
        if (!"1".equals(s.value("faulted"))) {
            return Finding.differs("the access did not fault (faulted=" + s.value("faulted") + ")");
        }
        String code = s.value("si_code_name");
        long siAddr = s.addr("si_addr");
        long target = s.addr("target");
        String seen = s.value("signal") + " " + code + " at " + hex(siAddr);
        if (!code.equals(wantCode)) {
            return Finding.differs(seen, "expected " + wantCode);
        }
        if (atTarget && siAddr != target) {
            return Finding.differs(seen, "the kernel reported another address than the target " + hex(target));
        }
        if (!atTarget && siAddr != 0) {
            return Finding.differs(seen, "a general-protection fault reports address 0");
        }
        return Finding.holds(seen);
    }
}
