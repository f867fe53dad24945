package dev.inspector.present;

/** Number and address formatting shared by every text view. */
public final class Format {
    private Format() {
    }

    /** An unsigned 64-bit address as lowercase hex without prefix, zero-padded to at least 12 digits (like pmap). */
    public static String addr(long a) {
        String h = Long.toHexString(a);
        return h.length() >= 12 ? h : "000000000000".substring(h.length()) + h;
    }

    /** An address with a 0x prefix and no padding. */
    public static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }

    /**
     * Bytes in binary units with at most one decimal: 0, 4K, 132K, 1.5M, 8G (K = KiB, like the kernel's "kB"). A value
     * that would round to 1024 of a unit is written in the next one ("1.0G", never "1024M").
     */
    public static String size(long bytes) {
        if (bytes < 0) {
            return "-" + size(-bytes);
        }
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        // Integer arithmetic, no String.format: this runs for every cell of a 60,000-row table.
        final String units = "KMGTPE";
        int u = 0;
        long unit = 1024;
        while (u < units.length() - 1 && bytes >= unit * 1024) {
            unit *= 1024;
            u++;
        }
        long tenths = (bytes * 10 + unit / 2) / unit; // rounded to one decimal
        if (bytes >= 100 * unit || bytes % unit == 0 || tenths % 10 == 0) {
            long whole = (bytes + unit / 2) / unit;
            if (whole >= 1024 && u < units.length() - 1) {
                return "1.0" + units.charAt(u + 1); // 1023.6M rounds to 1024M: say it in the next unit
            }
            return whole + units.substring(u, u + 1);
        }
        return (tenths / 10) + "." + (tenths % 10) + units.charAt(u);
    }

    /** A signed size change: +4K, -1.5M, 0. */
    public static String delta(long bytes) {
        return bytes > 0 ? "+" + size(bytes) : size(bytes);
    }

    /** Bytes as a whole number of KiB, the unit of pmap and of /proc. */
    public static String kib(long bytes) {
        return Long.toString(bytes / 1024);
    }
}
