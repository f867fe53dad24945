package dev.inspector.core.claims;

import java.util.List;

/**
 * One measured fact a finding rests on, kept structured so a text view, JSON and a terminal UI can each show it in
 * their own way: a named value, named lines (maps lines, say), or a named change from before to after.
 */
public sealed interface Evidence permits Evidence.Value, Evidence.Lines, Evidence.Change {

    /** What was measured ("present pages", "maps", "brk(0)"). */
    String name();

    /** One value, as measured ("4096", "0x7ffd5f210000"). */
    record Value(String name, String value) implements Evidence {
        public Value {
            name = Claim.required(name, "name");
            value = Claim.required(value, "value");
        }
    }

    /** Lines, in order, as measured (none is a measurement too: nothing was there). */
    record Lines(String name, List<String> lines) implements Evidence {
        public Lines {
            name = Claim.required(name, "name");
            lines = List.copyOf(lines);
        }
    }

    /** The same measurement before and after something happened. */
    record Change(String name, List<String> before, List<String> after) implements Evidence {
        public Change {
            name = Claim.required(name, "name");
            before = List.copyOf(before);
            after = List.copyOf(after);
        }

        /** True when the measurement did not change. */
        public boolean unchanged() {
            return before.equals(after);
        }
    }

    static Value value(String name, Object value) {
        return new Value(name, String.valueOf(value));
    }

    static Lines lines(String name, List<String> lines) {
        return new Lines(name, lines);
    }

    static Change change(String name, List<String> before, List<String> after) {
        return new Change(name, before, after);
    }

    static Change change(String name, Object before, Object after) {
        return new Change(name, List.of(String.valueOf(before)), List.of(String.valueOf(after)));
    }
}
