package dev.inspector.core.demo;

import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.model.Mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Every guided demo, in the order {@code inspector demo} lists them: each a native sample with its steps and the
 * claims of the documents' catalogue it checks (docs/demos.md shows a run of each).
 */
public final class Demos {

    private static final List<Demo> ALL = List.of(
            SegmentsDemo.demo(),
            StackVsHeapDemo.demo(),
            MallocThresholdDemo.demo(),
            HeapFragDemo.demo(),
            DemandPagingDemo.demo(),
            AslrDemo.demo(),
            MprotectFaultDemo.demo(),
            CowForkDemo.demo(),
            PhysicalScatterDemo.demo(),
            StackOverflowDemo.demo(),
            SharedMappingDemo.demo(),
            ThreadsDemo.demo(),
            HugepagesDemo.demo(),
            AddressLimitsDemo.demo(),
            Vmsplit32Demo.demo());

    private Demos() {
    }

    public static List<Demo> all() {
        return ALL;
    }

    /** The demo of this name (any case); IllegalArgumentException naming the demos otherwise (a usage error). */
    public static Demo get(String name) {
        List<String> names = new ArrayList<>();
        for (Demo d : ALL) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
            names.add(d.name());
        }
        throw new IllegalArgumentException("no demo '" + name + "' (demos: " + String.join(", ", names) + ")");
    }

    /**
     * A deliberately wrong expectation, valid at any stop: "the process has no [stack] mapping". Added with
     * {@link DemoRunner#expect} it shows that verdicts are measured: it differs, naming the [stack] line it found.
     */
    public static Expectation<DemoEvidence> wrongExpectation() {
        return new Expectation<>(Claim.of("(deliberately wrong) the process has no [stack] mapping"), e -> {
            Mapping s = e.stack();
            return Finding.holdsIf(s == null, s == null ? "no [stack] line" : "[stack] "
                    + DemoEvidence.hex(s.start()) + "-" + DemoEvidence.hex(s.end()));
        });
    }
}
