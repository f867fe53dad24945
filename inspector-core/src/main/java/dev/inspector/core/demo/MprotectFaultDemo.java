package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/**
 * The {@code mprotect_fault} sample: permissions per page, and every kind of bad access with the signal the kernel
 * sends (C23 C27 C28 C35 C40 C45 C47).
 */
final class MprotectFaultDemo {

    private MprotectFaultDemo() {
    }

    static Demo demo() {
        return new Demo("mprotect_fault", "mprotect_fault", List.of(), Map.of(),
                "permissions are per page, and each bad access ends in a signal the kernel explains",
                "Three pages with the middle one made read-only, then one bad access after another (write to"
                    + " read-only memory, read of PROT_NONE, execution of data, a write to a literal and to code,"
                    + " unmapped memory, NULL, a kernel address, a non-canonical address, the vsyscall page, an I/O"
                    + " port): the SIGSEGV code and address the kernel reports for each, checked against maps.",
                List.of(
                        step("three_rw_pages_one_vma", "mapped three read-write pages and wrote them", List.of()),
                        step("middle_page_read_only", "mprotect(PROT_READ) on the middle page",
                                List.of(permissionsPerPage())),
                        step("write_read_only_page", "wrote to the read-only page (the SIGSEGV handler reports)",
                                List.of(writeReadOnly())),
                        step("read_prot_none_page", "made the middle page PROT_NONE and read it",
                                List.of(perPageAccess("a page without permissions refuses even a read", false))),
                        step("exec_data_page", "called into the first page, which is writable but not executable",
                                List.of(perPageAccess("a page without the execute permission cannot be run", true))),
                        step("write_string_literal", "wrote to a string literal", List.of(writeReadOnly(),
                                literalIsReadOnlyText())),
                        step("write_own_code", "wrote to the code of main", List.of(writeReadOnly())),
                        step("read_unmapped_page", "read a page it had just unmapped", List.of(unmapped())),
                        step("read_null", "read address 0", List.of(unmapped())),
                        step("read_kernel_address", s -> "read " + s.value("addr.target") + ", an address of the"
                                + " kernel's code", List.of(kernelUnreadable())),
                        step("read_non_canonical", s -> "read " + s.value("addr.target") + ", between the two halves"
                                + " of the address space", List.of(canonicalHalves())),
                        step("read_vsyscall_page", "read the [vsyscall] page", List.of(vsyscallInKernelHalf())),
                        step("io_port_instruction", "executed inb from I/O port 0x80", List.of(noHardwareAccess())),
                        step("done", "finished", List.of()),
                        step("about_to_die", "made the page read-only again and wrote it without a handler",
                                List.of())),
                a -> a.contains("die") ? 128 + 11 : 0, Set.of("done", "about_to_die"));
    }

    static Expectation<DemoEvidence> permissionsPerPage() {
        return claim("C35", "access permissions are set per page", e -> {
            SampleStep.Range area = e.step().range("area");
            Region first = e.regionAt(area.lo());
            Region middle = e.regionAt(e.at("middle").address());
            Region last = e.regionAt(area.hi() - 1);
            if (first == null || middle == null || last == null) {
                return Finding.differs("part of the three pages is unmapped");
            }
            String seen = "first page " + first.mapping().perms() + ", middle " + middle.mapping().perms() + " ("
                    + hex(middle.mapping().start()) + "-" + hex(middle.mapping().end()) + ", a line of its own), last "
                    + last.mapping().perms();
            SampleStep.Range mid = e.step().range("middle");
            return Finding.holdsIf(first.mapping().perms().toString().equals("rw-p")
                    && middle.mapping().perms().toString().equals("r--p") && last.mapping().perms().toString()
                    .equals("rw-p") && middle.mapping().start() == mid.lo() && middle.mapping().end() == mid.hi(),
                    seen);
        });
    }

    static Expectation<DemoEvidence> writeReadOnly() {
        return claim("C28", "writing to a read-only area gives SIGSEGV", e -> {
            Located t = e.at("target");
            Finding f = Judges.fault(e, "SEGV_ACCERR", true);
            if (!t.mapped() || t.mapping().perms().write()) {
                return Finding.differs(where(t), "the target is not in a read-only mapping");
            }
            return f.verdict().holds() ? Finding.holds(where(t) + "; " + f.observed()) : f;
        });
    }

    static Expectation<DemoEvidence> perPageAccess(String statement, boolean exec) {
        return claim("C35", "access permissions are set per page: " + statement, e -> {
            Located t = e.at("target");
            Finding f = Judges.fault(e, "SEGV_ACCERR", true);
            boolean refused = t.mapped() && (exec ? !t.mapping().perms().exec() : t.mapping().perms().none());
            if (!refused) {
                return Finding.differs(where(t), "the target's mapping allows the access");
            }
            return f.verdict().holds() ? Finding.holds(where(t) + "; " + f.observed()) : f;
        });
    }

    static Expectation<DemoEvidence> literalIsReadOnlyText() {
        return claim("C23", "string literals are part of the text segment", e -> {
            Located t = e.at("target");
            if (!t.mapped() || !Judges.exe(e.now(), t.mapping()) || t.mapping().perms().write()) {
                return Finding.differs(where(t), "the literal is not in a read-only line of the program");
            }
            if (t.mapping().perms().exec()) {
                return Finding.holds(where(t));
            }
            return Finding.holdsWithNuance(where(t), "the literal is in the program's read-only data (.rodata, "
                    + t.mapping().perms() + "), a line apart from the executable text; just as write-protected");
        });
    }

    static Expectation<DemoEvidence> unmapped() {
        return claim("C27", "touching memory that is not mapped gives SIGSEGV", e -> {
            Located t = e.at("target");
            if (t.mapped()) {
                return Finding.differs(where(t), "the target is mapped");
            }
            Finding f = Judges.fault(e, "SEGV_MAPERR", true);
            return f.verdict().holds() ? Finding.holds(where(t) + "; " + f.observed()) : f;
        });
    }

    static Expectation<DemoEvidence> kernelUnreadable() {
        return claim("C47", "the kernel is mapped into every process, protected from it", e -> {
            Located t = e.at("target");
            Finding f = Judges.fault(e, "SEGV_MAPERR", true);
            if (t.mapped() || !f.verdict().holds()) {
                return t.mapped() ? Finding.differs(where(t), "maps lists a line there") : f;
            }
            String pti = e.kernel().meltdown();
            String seen = where(t) + " of maps; " + f.observed() + "; meltdown: " + (pti == null ? "unknown" : pti);
            boolean isolated = pti != null && pti.contains("PTI");
            return Finding.holdsWithNuance(seen, "protected, yes, but not visibly mapped: maps shows no kernel line"
                    + " (only [vsyscall]) and the fault is a 'no mapping' fault; " + (isolated ? "with page-table"
                    + " isolation (PTI) the user-mode page tables hold only a small entry area, the rest of the kernel"
                    + " is switched in on each kernel entry" : "without PTI the kernel is in every process's page"
                    + " tables, guarded by the user/supervisor bit") + "; that it is shared cannot be seen from user"
                    + " space");
        });
    }

    static Expectation<DemoEvidence> canonicalHalves() {
        return claim("C45", "x86-64 uses 48 of 64 address bits: user addresses start with zeros, kernel ones with"
                + " ones", e -> {
                    int levels = e.host().pagingLevels();
                    int bits = levels == 5 ? 57 : 48;
                    long userTop = 1L << (bits - 1);
                    long target = e.at("target").address();
                    for (Region r : e.now().regions()) {
                        Mapping m = r.mapping();
                        if (m.path().type() != MappingPath.Type.VSYSCALL && Long.compareUnsigned(m.end(), userTop) > 0) {
                            return Finding.differs(Judges.brief(r) + " lies above the user half (" + hex(userTop) + ")");
                        }
                    }
                    boolean nonCanonical = Long.compareUnsigned(target, userTop) >= 0
                            && Long.compareUnsigned(target, -userTop) < 0;
                    Finding f = Judges.fault(e, nonCanonical ? "SI_KERNEL" : "SEGV_MAPERR", !nonCanonical);
                    String seen = bits + "-bit virtual addresses (" + levels + "-level paging): every user line below "
                            + hex(userTop) + "; reading " + hex(target) + ": " + f.observed();
                    if (!f.verdict().holds()) {
                        return Finding.differs(seen, f.detail());
                    }
                    if (bits != 48) {
                        return Finding.differs(seen, "this CPU and kernel use 5-level paging: 57 bits, not 48");
                    }
                    return Finding.holdsWithNuance(seen, "an address in the hole between the halves is not a page"
                            + " fault at all: the CPU raises a general-protection fault (SI_KERNEL, address 0) before"
                            + " any page walk");
                });
    }

    static Expectation<DemoEvidence> vsyscallInKernelHalf() {
        return claim("C45", "x86-64 uses 48 of 64 address bits: user addresses start with zeros, kernel ones with"
                + " ones", e -> {
                    Located t = e.at("target");
                    Finding f = Judges.fault(e, "SEGV_MAPERR", true);
                    if (!f.verdict().holds()) {
                        return f;
                    }
                    if (!t.mapped()) {
                        return Finding.holds("no [vsyscall] line (vsyscall=none); " + f.observed());
                    }
                    boolean kernelHalf = t.address() < 0; // the top bit set: the kernel half
                    String seen = where(t) + "; " + f.observed();
                    if (!kernelHalf || t.mapping().path().type() != MappingPath.Type.VSYSCALL) {
                        return Finding.differs(seen);
                    }
                    return Finding.holdsWithNuance(seen, "[vsyscall] is the one line maps shows in the kernel half,"
                            + " and even it cannot be read: it is execute-only, its calls emulated by the kernel");
                });
    }

    static Expectation<DemoEvidence> noHardwareAccess() {
        return claim("C40", "programs never touch hardware directly; they ask the kernel", e -> {
            SampleStep s = e.step();
            if (!"1".equals(s.value("faulted"))) {
                return Finding.differs("inb from port " + s.value("port") + " did not fault");
            }
            String seen = "inb from port " + s.value("port") + ": " + s.value("signal") + " " + s.value("si_code_name")
                    + "; /dev/mem " + (e.kernel().devMem() ? "exists" : "absent") + ", /proc/kcore "
                    + (e.kernel().kcore() ? "exists" : "absent");
            return Finding.holdsIf(s.value("si_code_name").equals("SI_KERNEL"), seen);
        });
    }
}
