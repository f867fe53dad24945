package dev.inspector.core.lab;

/** A page-aligned virtual address range [start, end) of the inspector's own process; addresses are unsigned. */
public record Range(long start, long end) {

    public Range {
        if (Long.compareUnsigned(start, end) > 0) {
            throw new IllegalArgumentException("range end 0x" + Long.toHexString(end) + " below start 0x"
                    + Long.toHexString(start));
        }
    }

    public long size() {
        return end - start;
    }

    /** True when [a, b) overlaps this range. */
    public boolean overlaps(long a, long b) {
        return Long.compareUnsigned(a, end) < 0 && Long.compareUnsigned(b, start) > 0;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end);
    }
}
