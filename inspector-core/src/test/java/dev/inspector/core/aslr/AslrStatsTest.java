package dev.inspector.core.aslr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics on values whose randomness is known by construction. */
class AslrStatsTest {

    /** {@code n} values base + r * 2^shift, r uniform over 2^bits. */
    static List<Long> values(long base, int bits, int shift, int n, long seed) {
        Random rnd = new Random(seed);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(base + ((rnd.nextLong() & ((1L << bits) - 1)) << shift));
        }
        return out;
    }

    @Test
    void pageGranularRandomnessShowsItsBitsAndItsAlignment() {
        // 28 random bits of pages on the PIE base: over 400 runs every bit changes (P(miss) ~ 28 * 2^-399).
        AslrStats.KindStats k = AslrStats.of("program", values(0x555555554000L, 28, 12, 400, 1));
        assertEquals(28, k.changedBits());
        assertEquals(12, k.lowFixedBits());
        assertEquals(40, k.highestChangedBit());
        assertEquals(400, k.distinct());
    }

    @Test
    void aCarryOutOfTheRandomBitsIsNotCountedAsABit() {
        // Values straddling a power of two: XOR with the first would flip the bits above the random ones too.
        List<Long> v = List.of(0x7ffff000L, 0x80000000L, 0x80001000L, 0x7fffe000L);
        AslrStats.KindStats k = AslrStats.of("x", v);
        assertEquals(0x3000L, k.changedMask());
        assertEquals(2, k.changedBits());
    }

    @Test
    void twoMiBAlignmentFixesTwentyOneLowBits() {
        AslrStats.KindStats k = AslrStats.of("lib", values(0x7f0000000000L, 19, 21, 200, 2));
        assertEquals(21, k.lowFixedBits());
        assertEquals(19, k.changedBits());
    }

    @Test
    void shannonOverBinsIsNearItsBinBitsForUniformValuesAndZeroForConstantOnes() {
        AslrStats.KindStats k = AslrStats.of("mmap", values(0x7f0000000000L, 28, 12, 2000, 3));
        assertEquals(8, k.shannonBinBits()); // floor(log2(2000 / 5)) = 8
        assertTrue(k.shannonBits() > 7.8 && k.shannonBits() <= 8.0, "H = " + k.shannonBits());
        assertEquals(5 * Math.pow(2, 28), k.runsForAllBits());
        AslrStats.KindStats c = AslrStats.of("still", List.of(5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L, 5L));
        assertEquals(0, c.changedBits());
        assertEquals(1, c.distinct());
        assertEquals(0.0, c.shannonBits());
    }

    @Test
    void skewedTopBitsGiveLessThanTheirCount() {
        // The top random bit is always 0 in 90 % of the runs: H over 2 bins must be well below 1.
        List<Long> v = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            v.add(i < 90 ? 0x1000L * (i % 2) : 0x2000L + 0x1000L * (i % 2));
        }
        AslrStats.KindStats k = AslrStats.of("skewed", v);
        assertEquals(2, k.changedBits());
        assertEquals(2, k.shannonBinBits());
        assertTrue(k.shannonBits() < 1.5, "H = " + k.shannonBits());
    }

    @Test
    void kindsWithConstantOffsetsMoveTogether() {
        List<Long> libc = values(0x7f0000000000L, 28, 12, 50, 4);
        List<Long> ld = new ArrayList<>();
        List<Long> stack = values(0x7ffc00000000L, 22, 12, 50, 5);
        for (long l : libc) {
            ld.add(l + 0x1f0000);
        }
        List<Long> still = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            still.add(7L);
        }
        Map<String, List<Long>> cols = new java.util.LinkedHashMap<>();
        cols.put("libc", libc);
        cols.put("stack", stack);
        cols.put("ld", ld);
        cols.put("still", still);
        assertEquals(List.of(List.of("libc", "ld")), AslrStats.movesTogether(cols));
    }
}
