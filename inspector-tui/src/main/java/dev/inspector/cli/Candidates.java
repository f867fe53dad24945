package dev.inspector.cli;

import dev.inspector.core.model.RegionKind;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The values options take, for picocli's help and the completion script ({@code completionCandidates}): the option
 * values stay strings parsed case-insensitively by the commands, so picocli cannot know them from a type.
 */
final class Candidates {

    private Candidates() {
    }

    /** Region kinds, as {@code --kind} takes them. */
    static final class Kinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> out = new ArrayList<>();
            for (RegionKind k : RegionKind.values()) {
                out.add(k.label());
            }
            return out.iterator();
        }
    }

    /** {@code --color} (and {@code exporter --by-kind}, which takes the same three words). */
    static final class Color implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "always", "never").iterator();
        }
    }

    /** {@code maps --sort}. */
    static final class MapsSort implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("n", "start", "end", "size", "perm", "rss", "pss", "swap", "thp", "kind", "name", "count")
                    .iterator();
        }
    }

    /** {@code maps --summary}. */
    static final class Summary implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("kind", "file").iterator();
        }
    }

    /** {@code ps --sort}. */
    static final class PsSort implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("pid", "user", "state", "vsz", "rss", "pss", "maps", "command").iterator();
        }
    }

    /** {@code pages --path}. */
    static final class ScanPath implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "scan", "pagemap").iterator();
        }
    }

    /** {@code demo NAME}: the demos there are. */
    static final class DemoNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> out = new ArrayList<>();
            for (dev.inspector.core.demo.Demo d : dev.inspector.core.demo.Demos.all()) {
                out.add(d.name());
            }
            return out.iterator();
        }
    }

    /** {@code lab --step} and {@code --wrong}: the lab's steps. */
    static final class LabSteps implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> out = new ArrayList<>();
            for (dev.inspector.core.lab.LabStep s : dev.inspector.core.lab.Lab.STEPS) {
                out.add(s.name());
            }
            return out.iterator();
        }
    }
}
