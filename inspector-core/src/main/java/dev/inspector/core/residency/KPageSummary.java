package dev.inspector.core.residency;

import dev.inspector.core.procfs.parse.KPageFlags;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /proc/kpageflags and /proc/kpagecount summed over the present pages of one mapping. {@code frames} is the number of
 * present pages looked up; {@code flagCounts[bit]} how many of them have that kpageflags bit; {@code mappedOnce} /
 * {@code shared} how many frames have a map count of 1 / more than 1 (mapped by other processes or other addresses too);
 * {@code maxMapCount} the highest map count seen.
 */
public record KPageSummary(long frames, long[] flagCounts, long mappedOnce, long shared, long unmappedCount,
                           long maxMapCount) {

    public KPageSummary {
        flagCounts = flagCounts.clone();
    }

    @Override
    public long[] flagCounts() {
        return flagCounts.clone();
    }

    public long count(KPageFlags.Flag f) {
        return flagCounts[f.bit];
    }

    /** Non-zero counts by flag name (BIT_n for undocumented bits), in bit order. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int bit = 0; bit < 64; bit++) {
            if (flagCounts[bit] != 0) {
                out.put(KPageFlags.nameOf(bit), flagCounts[bit]);
            }
        }
        return out;
    }

    /** Accumulates per-frame words; package-private, used by the pagemap reader. */
    static final class Builder {
        private long frames;
        private final long[] counts = new long[64];
        private long once;
        private long shared;
        private long unmapped;
        private long max;

        void add(long flags, long mapCount) {
            frames++;
            for (long v = flags; v != 0; v &= v - 1) {
                counts[Long.numberOfTrailingZeros(v)]++;
            }
            if (mapCount == 1) {
                once++;
            } else if (mapCount > 1) {
                shared++;
            } else {
                unmapped++;
            }
            if (mapCount > max) {
                max = mapCount;
            }
        }

        KPageSummary build() {
            return new KPageSummary(frames, counts, once, shared, unmapped, max);
        }
    }
}
