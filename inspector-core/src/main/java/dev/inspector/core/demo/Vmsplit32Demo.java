package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.procfs.KernelSettings;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.step;

/**
 * The {@code vmsplit32} sample, a 32-bit program: what is left of the 3G/1G split on a 64-bit kernel (C26 C46). Where
 * the build had no 32-bit toolchain or the kernel refuses 32-bit programs, every claim cannot be checked, and the demo
 * says what is missing.
 */
final class Vmsplit32Demo {

    static final long THREE_GIB = 3L << 30;

    private Vmsplit32Demo() {
    }

    static Demo demo() {
        return new Demo("vmsplit32", "vmsplit32", List.of(), Map.of(),
                "a 32-bit process on a 64-bit kernel owns almost all of its 4 GiB (needs 32-bit support)",
                "A 32-bit program announces its layout, maps a page above 3 GiB and asks for the top pages of its"
                    + " 4 GiB: the documents' 3G/1G split belongs to 32-bit kernels. Needs gcc-multilib to build and a"
                    + " kernel that runs 32-bit programs.",
                List.of(
                        step("layout", "announced its layout (32-bit pointers)", List.of(stackAbove3G(),
                                littleRoomForAslr())),
                        step("mapped_above_3GiB", s -> "asked for a page at " + s.value("at") + ": "
                                + s.value("result"), List.of(mappedAbove3G())),
                        step("top_of_user_space", s -> "asked for the pages at " + s.value("top_page") + " and "
                                + s.value("last_page"), List.of(topOf4G())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static final String STATEMENT = "a 32-bit process has 4 GiB: 3 GiB for itself and 1 GiB for the kernel";

    static Expectation<DemoEvidence> stackAbove3G() {
        return claim("C46", STATEMENT, e -> {
            long stack = e.at("stack_local").address();
            String seen = "the 32-bit process's stack at " + hex(stack) + ", vDSO at " + hex(e.at("vdso").address());
            if (stack < THREE_GIB) {
                return Finding.holds(seen + ": below 3 GiB");
            }
            return Finding.differs(seen + ": above 3 GiB", "the 3G/1G split belongs to 32-bit kernels; a 64-bit"
                    + " kernel lives above 2^47 and leaves a 32-bit process nearly all of its 4 GiB");
        });
    }

    static Expectation<DemoEvidence> littleRoomForAslr() {
        return claim("C26", "on 32-bit there is little room for ASLR", e -> {
            KernelSettings.Value compat = e.kernel().mmapRndCompatBits();
            KernelSettings.Value full = e.kernel().mmapRndBits();
            if (!compat.known() || !full.known()) {
                return Finding.cannotCheck("vm.mmap_rnd_compat_bits and vm.mmap_rnd_bits are readable by root only");
            }
            return Finding.holdsIf(compat.value() < full.value(), "vm.mmap_rnd_compat_bits " + compat.value()
                    + " for 32-bit processes, vm.mmap_rnd_bits " + full.value() + " for 64-bit ones (measure both"
                    + " with 'inspector aslr')");
        });
    }

    static Expectation<DemoEvidence> mappedAbove3G() {
        return claim("C46", STATEMENT, e -> {
            String r = e.step().value("result");
            String seen = "a page at " + e.step().value("at") + ": " + r;
            if (r.equals("ok")) {
                return Finding.differs(seen, "the process may map memory above 3 GiB: no 1 GiB is the kernel's here");
            }
            return Finding.holdsIf(r.equals("ENOMEM"), seen);
        });
    }

    static Expectation<DemoEvidence> topOf4G() {
        return claim("C46", STATEMENT, e -> {
            SampleStep s = e.step();
            String top = s.value("top_page_result");
            String seen = s.value("top_page") + ": " + top + "; " + s.value("last_page") + ": "
                    + s.value("last_page_result");
            if (top.equals("ok") || top.equals("EEXIST")) {
                return Finding.differs(seen, "user space reaches up to the last pages below 4 GiB");
            }
            return Finding.holds(seen);
        });
    }
}
