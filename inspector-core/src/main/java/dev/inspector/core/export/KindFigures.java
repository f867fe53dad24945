package dev.inspector.core.export;

import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of every mapping of one kind in one process, summed: what one process's per-kind series hold. Sizes are
 * in bytes; smaps fields as the kernel counts them per mapping (Rss, Pss, Swap, Private_Clean + Private_Dirty,
 * Shared_Clean + Shared_Dirty, and AnonHugePages + ShmemPmdMapped + FilePmdMapped for memory mapped by PMD-sized
 * transparent huge pages); residency (pages present, swapped, untouched) times the base page size, or -1 when
 * residency was not read.
 */
public final class KindFigures {
    long size;
    long rss;
    long pss;
    long swap;
    long privateBytes;
    long sharedBytes;
    long thp;
    long mappings;
    long present = -1;
    long swapped = -1;
    long untouched = -1;

    KindFigures() {
    }

    /** The label value of a kind: the name {@code inspector maps} shows ("thread-stack", "named-anonymous" ...). */
    public static String label(RegionKind k) {
        return k.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every kind present in the snapshot (at least one mapping), in the enum's order, with its figures. */
    public static Map<RegionKind, KindFigures> of(Snapshot s) {
        Map<RegionKind, KindFigures> out = new EnumMap<>(RegionKind.class);
        int pageSize = s.host().pageSize();
        for (Region r : s.regions()) {
            KindFigures f = out.computeIfAbsent(r.kind(), k -> new KindFigures());
            f.add(r, pageSize);
        }
        return out;
    }

    private void add(Region r, int pageSize) {
        mappings++;
        size += r.mapping().size();
        Smaps sm = r.smaps();
        if (sm != null) {
            rss += sm.rss();
            pss += sm.pss();
            swap += sm.swap();
            privateBytes += sm.get("Private_Clean") + sm.get("Private_Dirty");
            sharedBytes += sm.get("Shared_Clean") + sm.get("Shared_Dirty");
            thp += thp(sm);
        }
        Residency res = r.residency();
        if (res != null) {
            present = Math.max(present, 0) + res.present() * pageSize;
            swapped = Math.max(swapped, 0) + res.swapped() * pageSize;
            untouched = Math.max(untouched, 0) + res.untouched() * pageSize;
        }
    }

    /** Memory mapped by PMD-sized transparent huge pages: anonymous, shmem and file (the last two since 4.8/5.4). */
    static long thp(Smaps sm) {
        return sm.get("AnonHugePages") + sm.get("ShmemPmdMapped") + sm.get("FilePmdMapped");
    }

    public long size() {
        return size;
    }

    public long rss() {
        return rss;
    }

    public long pss() {
        return pss;
    }

    public long swap() {
        return swap;
    }

    public long privateBytes() {
        return privateBytes;
    }

    public long sharedBytes() {
        return sharedBytes;
    }

    public long thp() {
        return thp;
    }

    public long mappings() {
        return mappings;
    }

    /** Bytes in present pages, or -1 when residency was not read. */
    public long present() {
        return present;
    }

    public long swapped() {
        return swapped;
    }

    public long untouched() {
        return untouched;
    }
}
