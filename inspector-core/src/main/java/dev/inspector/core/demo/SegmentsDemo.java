package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.elf.ElfFile;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Snapshot;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.brief;
import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.exe;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code segments} sample: where code, literals, .data, .bss and the heap end up (C13, C15, C19–C23). */
final class SegmentsDemo {

    private SegmentsDemo() {
    }

    static Demo demo() {
        return new Demo("segments", "segments", List.of(), Map.of(),
                "where code, literals, .data, .bss and the heap of a program live",
                "A C program's globals, constants, code and first malloc, each located in the maps of the running"
                    + " process and in the ELF file it came from: which segments exist before main does anything,"
                    + " what is stored in the file and what is not, and when the heap appears.",
                List.of(
                        step("start_no_malloc_yet", "started and stopped at once: no malloc, no stdio yet",
                                List.of(textHoldsCodeAndLiterals(), bssHoldsUninitialised(), onlyDataIsInTheFile(),
                                        bssIsAnonymous(), noHeapYet())),
                        new DemoStep("after_write_data", s -> "wrote " + s.value("value") + " into the initialised"
                                + " global (g_init)", List.of(dataIsPrivateCopy()),
                                new DemoStep.Probes(List.of("data"), List.of("data"), false, false)),
                        step("after_touch_big_bss", s -> "wrote every byte of the 1 MiB uninitialised array ("
                                + s.value("pages") + " pages)", List.of(bssPagesAppearWhenTouched())),
                        step("after_first_malloc", s -> "called malloc(16) for the first time: the chunk is "
                                + s.value("heap_offset") + " bytes into the heap", List.of(heapAppears(),
                                dataRunsIntoHeap())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> textHoldsCodeAndLiterals() {
        return claim("C23", "the text segment holds the program's code and its string literals", e -> {
            Located code = e.at("code");
            Located lit = e.at("literal");
            Located ro = e.at("rodata");
            String seen = where(code) + "; " + where(lit) + "; " + where(ro);
            Snapshot now = e.now();
            if (!code.mapped() || !exe(now, code.mapping()) || !code.mapping().perms().exec()) {
                return Finding.differs(seen, "main is not in an executable line of the program's file");
            }
            for (Located l : List.of(lit, ro)) {
                if (!l.mapped() || !exe(now, l.mapping()) || l.mapping().perms().write()) {
                    return Finding.differs(seen, l.label() + " is not in a read-only line of the program's file");
                }
            }
            if (lit.mapping().equals(code.mapping()) && ro.mapping().equals(code.mapping())) {
                return Finding.holds(seen);
            }
            return Finding.holdsWithNuance(seen, "the literal and the const array lie in a read-only line of their own"
                    + " (.rodata, " + lit.mapping().perms() + "), not in the executable text line: the linker keeps"
                    + " read-only data apart from code, and both are protected against writes");
        });
    }

    static Expectation<DemoEvidence> bssHoldsUninitialised() {
        return claim("C19", ".bss holds the uninitialised globals", e -> {
            DemoEvidence.ExeImage x = e.exe();
            if (x.elf() == null) {
                return Finding.cannotCheck("the executable's ELF sections are unknown: " + x.missing());
            }
            ElfFile.Section small = x.sectionAt(e.at("bss_small").address());
            ElfFile.Section zero = x.sectionAt(e.at("bss_zero").address());
            ElfFile.Section data = x.sectionAt(e.at("data").address());
            String seen = "g_uninit in " + name(small) + ", g_zero (= 0) in " + name(zero) + ", g_init (= 42) in "
                    + name(data) + " (ELF section headers of " + x.path() + ", load bias " + hex(x.bias()) + ")";
            if (small == null || !small.name().equals(".bss") || !small.nobits()) {
                return Finding.differs(seen, "the uninitialised global is not in a NOBITS .bss section");
            }
            if (data != null && data.name().equals(".bss")) {
                return Finding.differs(seen, "an initialised global ended up in .bss");
            }
            if (zero != null && zero.name().equals(".bss")) {
                return Finding.holdsWithNuance(seen, "a global explicitly initialised to zero is placed in .bss too,"
                        + " beside the uninitialised one: .bss holds everything that starts as zero");
            }
            return Finding.holds(seen);
        });
    }

    private static String name(ElfFile.Section s) {
        return s == null ? "no section" : s.name();
    }

    static Expectation<DemoEvidence> onlyDataIsInTheFile() {
        return claim("C21", "initialised data is stored in the executable file, .bss is not", e -> {
            DemoEvidence.ExeImage x = e.exe();
            if (x.elf() == null) {
                return Finding.cannotCheck("the executable's ELF headers are unknown: " + x.missing());
            }
            ElfFile.Section data = x.section(".data");
            ElfFile.Section bss = x.section(".bss");
            ElfFile.ProgramHeader w = x.writableLoad();
            if (data == null || bss == null || w == null) {
                return Finding.cannotCheck("the executable has no .data, .bss or writable PT_LOAD");
            }
            String seen = ".data " + (data.nobits() ? "NOBITS" : "PROGBITS") + " " + data.size() + " bytes, .bss "
                    + (bss.nobits() ? "NOBITS" : "PROGBITS") + " " + bss.size() + " bytes; the writable PT_LOAD has "
                    + w.filesz() + " bytes in the file for " + w.memsz() + " in memory; the file is "
                    + x.elf().fileSize() + " bytes";
            boolean holds = !data.nobits() && bss.nobits() && w.filesz() < w.memsz()
                    && x.elf().fileSize() < bss.size();
            return Finding.holdsIf(holds, seen);
        });
    }

    static Expectation<DemoEvidence> bssIsAnonymous() {
        return claim("C20", ".bss is anonymous memory, not backed by the file", e -> {
            Located small = e.at("bss_small");
            Located end = e.at("bss_big_end");
            String seen = where(small) + " (" + Judges.bits(small.page()) + "); " + where(end) + " ("
                    + Judges.bits(end.page()) + ")";
            if (!end.mapped() || !Judges.anonymous(end.mapping()) || !end.mapping().perms().write()) {
                return Finding.differs(seen, "the end of the 1 MiB array is not in an anonymous writable line");
            }
            if (!small.mapped()) {
                return Finding.differs(seen, "the small uninitialised global is in no mapping");
            }
            if (Judges.anonymous(small.mapping())) {
                return Finding.holds(seen);
            }
            boolean copied = small.page() != null && small.page().entry().present()
                    && !small.page().entry().fileOrSharedAnon();
            return Finding.holdsWithNuance(seen, "a small .bss has no line of its own: it shares the executable's "
                    + small.mapping().perms() + " line with .data" + (copied ? ", whose page is already an anonymous"
                    + " copy (pagemap bit 61 clear)" : "") + "; only the part beyond the file's last page is a"
                    + " separate anonymous line, with no page present until it is touched");
        });
    }

    static Expectation<DemoEvidence> noHeapYet() {
        return claim("C15", "heap memory is obtained while the program runs, not set up in advance", e -> {
            Mapping heap = e.heap();
            Located brk = e.at("brk");
            if (heap != null) {
                return Finding.differs("[heap] " + hex(heap.start()) + "-" + hex(heap.end()) + " exists before any"
                        + " malloc");
            }
            return Finding.holdsIf(!brk.mapped(), "no [heap] line before the first malloc; the break "
                    + hex(brk.address()) + " lies in " + (brk.mapped() ? brief(brk.region()) : "no mapping"));
        });
    }

    static Expectation<DemoEvidence> dataIsPrivateCopy() {
        return claim("C22", ".data is a private copy-on-write mapping of the file: a write never reaches the file",
                e -> {
                    Located data = e.at("data");
                    if (!data.mapped() || !exe(e.now(), data.mapping())) {
                        return Finding.differs(where(data), "g_init is not in a line of the executable file");
                    }
                    Integer mem = DemoEvidence.intAt(e.memory("data"));
                    Integer file = DemoEvidence.intAt(e.exeBytes("data"));
                    if (mem == null || file == null) {
                        return Finding.cannotCheck("the process's memory or its executable file could not be read at"
                                + " g_init (needs the same user as the sample, or root)");
                    }
                    String seen = where(data) + " (" + Judges.bits(data.page()) + "); memory holds " + mem
                            + ", the file at that offset " + file;
                    boolean ok = !data.mapping().perms().shared() && data.page() != null
                            && data.page().entry().present() && !data.page().entry().fileOrSharedAnon()
                            && mem == Long.parseLong(e.step().value("value")) && !mem.equals(file);
                    if (!ok) {
                        return Finding.differs(seen);
                    }
                    DemoEvidence before = e.previous();
                    Located old = before == null ? null : before.addresses().get("data");
                    if (old != null && old.page() != null && old.page().entry().present()
                            && !old.page().entry().fileOrSharedAnon()) {
                        return Finding.holdsWithNuance(seen, "the page was an anonymous copy already before this"
                                + " write: the loader's relocations wrote to the executable's first data page before"
                                + " main ran");
                    }
                    return Finding.holds(seen);
                });
    }

    static Expectation<DemoEvidence> bssPagesAppearWhenTouched() {
        return claim("C20", ".bss is anonymous memory: its pages appear, zero-filled, when first touched", e -> {
            var now = DemoEvidence.stats(e.range("bss_big"));
            DemoEvidence prev = e.earlierWithRange("bss_big");
            if (prev == null) {
                return Finding.cannotCheck("the range was not measured at an earlier stop");
            }
            var before = DemoEvidence.stats(prev.ranges().get("bss_big"));
            long faults = e.now().process().minorFaults() - prev.now().process().minorFaults();
            long fresh = before.pages() - before.present();
            String seen = "range.bss_big: " + before.present() + " -> " + now.present() + " of " + now.pages()
                    + " pages present, " + now.file() + " file-backed; minflt +" + faults + " since step "
                    + prev.step().name();
            return Finding.holdsIf(now.present() == now.pages() && now.file() == 0 && faults >= fresh, seen);
        });
    }

    static Expectation<DemoEvidence> heapAppears() {
        return claim("C15", "heap memory is obtained while the program runs: the first malloc creates the heap", e -> {
            Mapping heap = e.heap();
            Mapping before = DemoEvidence.first(e.before(), dev.inspector.core.model.MappingPath.Type.HEAP);
            Located chunk = e.at("heap_chunk");
            if (heap == null) {
                return Finding.differs("no [heap] line after malloc(16)");
            }
            String seen = (before == null ? "no [heap] at the previous stop; now " : "[heap] already there; now ")
                    + "[heap] " + hex(heap.start()) + "-" + hex(heap.end()) + " (" + size(heap.size()) + ") holding"
                    + " the chunk at heap + " + hex(chunk.address() - heap.start());
            SampleStep.Range r = e.step().range("heap");
            return Finding.holdsIf(before == null && heap.contains(chunk.address()) && r.lo() == heap.start()
                    && r.hi() == heap.end(), seen);
        });
    }

    static Expectation<DemoEvidence> dataRunsIntoHeap() {
        return claim("C13", "the data segment runs from .data through .bss into the heap", e -> {
            DemoEvidence.ExeImage x = e.exe();
            Mapping heap = e.heap();
            if (x.elf() == null || heap == null) {
                return Finding.cannotCheck(heap == null ? "no [heap] line" : "the ELF sections are unknown: "
                        + x.missing());
            }
            ElfFile.Section data = x.section(".data");
            ElfFile.Section bss = x.section(".bss");
            if (data == null || bss == null) {
                return Finding.cannotCheck("the executable has no .data or .bss section");
            }
            long ps = e.pageSize();
            long bssEnd = x.bias() + bss.addr() + bss.size();
            long bssEndPage = (bssEnd + ps - 1) & -ps;
            long gap = heap.start() - bssEndPage;
            boolean ordered = Long.compareUnsigned(data.addr() + data.size(), bss.addr() + 1) <= 0 && gap >= 0;
            String seen = ".data at " + hex(x.bias() + data.addr()) + ", .bss up to " + hex(bssEnd) + ", [heap] from "
                    + hex(heap.start()) + ": " + (gap == 0 ? "right after .bss" : size(gap) + " above the end of .bss");
            if (!ordered) {
                return Finding.differs(seen);
            }
            if (gap == 0) {
                return Finding.holds(seen);
            }
            Boolean noRand = e.now().bases().personalityNoRandomize();
            Long rva = e.kernel().randomizeVaSpace().value();
            if (rva != null && rva >= 2 && !Boolean.TRUE.equals(noRand)) {
                return Finding.holdsWithNuance(seen, "the order holds but not the contiguity: with"
                        + " randomize_va_space=" + rva + " the kernel starts the break a random distance above .bss"
                        + " (the heap follows .bss directly only with ASLR off, e.g. setarch -R)");
            }
            return Finding.differs(seen, "randomize_va_space=" + rva + (Boolean.TRUE.equals(noRand)
                    ? ", ADDR_NO_RANDOMIZE set" : "") + ": no brk randomisation explains the gap");
        });
    }
}
