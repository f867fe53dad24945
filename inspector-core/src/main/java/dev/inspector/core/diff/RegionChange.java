package dev.inspector.core.diff;

import dev.inspector.core.model.Region;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One change between two snapshots: the regions of the first snapshot ({@code before}, empty when added) that became
 * the regions of the second ({@code after}, empty when removed), what changed about them, and their smaps usage on
 * each side (null when a side has no smaps figures). {@code shift} is the distance the group was moved by ASLR before
 * it was compared (0 when matching by address; the module's load-bias shift when matching by module). Both lists are
 * in address order. {@code label} names the owner: the file path, {@code [heap]}, {@code [stack]}, the kind for
 * anonymous memory.
 */
public record RegionChange(Set<Aspect> aspects, String label, List<Region> before, List<Region> after, long shift,
                           Usage usageBefore, Usage usageAfter) {

    public RegionChange {
        aspects = Collections.unmodifiableSet(aspects.isEmpty() ? EnumSet.noneOf(Aspect.class) : EnumSet.copyOf(aspects));
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public boolean has(Aspect a) {
        return aspects.contains(a);
    }

    /** True unless the only aspect is {@link Aspect#DETAILS} (what a reader of a diff usually wants to see). */
    public boolean significant() {
        return !(aspects.size() == 1 && aspects.contains(Aspect.DETAILS));
    }

    /** Lowest start of the first snapshot's side, or null when added. */
    public Long startBefore() {
        return before.isEmpty() ? null : before.get(0).mapping().start();
    }

    public Long endBefore() {
        return before.isEmpty() ? null : before.get(before.size() - 1).mapping().end();
    }

    public Long startAfter() {
        return after.isEmpty() ? null : after.get(0).mapping().start();
    }

    public Long endAfter() {
        return after.isEmpty() ? null : after.get(after.size() - 1).mapping().end();
    }

    /** The address used to order changes: the start after, or before when removed. */
    public long sortAddress() {
        return after.isEmpty() ? before.get(0).mapping().start() : after.get(0).mapping().start();
    }

    /** Mapped bytes on the first snapshot's side (holes between split parts are not counted). */
    public long sizeBefore() {
        return size(before);
    }

    public long sizeAfter() {
        return size(after);
    }

    public long sizeDelta() {
        return sizeAfter() - sizeBefore();
    }

    /** {@code usageAfter - usageBefore}, or null when a side is unknown. */
    public Usage usageDelta() {
        return Usage.delta(usageBefore, usageAfter);
    }

    private static long size(List<Region> regions) {
        long n = 0;
        for (Region r : regions) {
            n += r.mapping().size();
        }
        return n;
    }
}
