package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;

import java.util.List;
import java.util.function.Function;

/**
 * One step of a demo, named like the sample's STEP line: what the program just did ({@code did}, worded from the
 * announced values), the claims judged at that stop (each an {@link Expectation} on the {@link DemoEvidence} measured
 * there, citing the catalogue), and the extra measurements they need ({@link Probes}).
 */
public record DemoStep(String name, Function<SampleStep, String> did, List<Expectation<DemoEvidence>> claims,
                       Probes probes) {

    public DemoStep {
        claims = List.copyOf(claims);
    }

    /** The narration of this stop. */
    public String narrate(SampleStep s) {
        return did.apply(s);
    }

    /**
     * Measurements a step asks for beyond the generic ones (snapshot, pagemap of every announced address and range):
     * {@code peek} the first bytes of memory at these {@code addr.*} labels (in the announcing process and, for forked
     * programs, in the other one); {@code exeBytes} the executable file's bytes behind these labels (what the file holds
     * where the process now has its own copy); {@code kernelStacks} each thread's kernel call chain (root); {@code rerun}
     * a second run of the program in batch mode, for comparing layouts.
     */
    public record Probes(List<String> peek, List<String> exeBytes, boolean kernelStacks, boolean rerun) {
        public static final Probes NONE = new Probes(List.of(), List.of(), false, false);

        public Probes {
            peek = List.copyOf(peek);
            exeBytes = List.copyOf(exeBytes);
        }

        public static Probes peek(String... labels) {
            return new Probes(List.of(labels), List.of(), false, false);
        }
    }
}
