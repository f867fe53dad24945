package dev.inspector.core.demo;

import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Expectation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A guided demo: a native sample ({@code program}, run with {@code args} and environment overrides {@code env}, a null
 * value removing a variable), a one-line {@code title}, what it {@code teaches}, and its steps in the order the program
 * announces them. A step the program announces several times (a recursion depth, an allocation) is listed once.
 * {@code exitStatus} gives the status the program ends with for given arguments (0, or 139 when it is meant to die of
 * SIGSEGV); {@code last} whether a step ends the run (the program says {@code done}, or dies right after it).
 */
public record Demo(String name, String program, List<String> args, Map<String, String> env, String title,
                   String teaches, List<DemoStep> steps, Function<List<String>, Integer> exitStatus,
                   Set<String> last) {

    public Demo {
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        steps = List.copyOf(steps);
        last = Set.copyOf(last);
    }

    /** The step of this name, or null when the demo does not know it. */
    public DemoStep step(String stepName) {
        for (DemoStep s : steps) {
            if (s.name().equals(stepName)) {
                return s;
            }
        }
        return null;
    }

    /** The catalogue ids of the claims its steps check, in order of first appearance. */
    public List<String> claimIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (DemoStep s : steps) {
            for (Expectation<DemoEvidence> e : s.claims()) {
                if (e.claim().id() != null) {
                    ids.add(e.claim().id());
                }
            }
        }
        return new ArrayList<>(ids);
    }

    /** The catalogue entries of {@link #claimIds()}. */
    public List<Catalogue.Entry> claims() {
        List<Catalogue.Entry> out = new ArrayList<>();
        for (String id : claimIds()) {
            out.add(Catalogue.get(id));
        }
        return out;
    }

    /** The exit status the program ends with when run with {@code allArgs}. */
    public int expectedExit(List<String> allArgs) {
        return exitStatus.apply(allArgs);
    }
}
