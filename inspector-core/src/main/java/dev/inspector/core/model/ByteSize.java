package dev.inspector.core.model;

import java.util.Locale;

/** Sizes in words for findings and reports: exact in the largest binary unit that divides them, else one decimal. */
public final class ByteSize {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {
    }

    /** "4 KiB", "132 KiB", "2052 KiB", "704.6 MiB", "32 TiB", "100 bytes". */
    public static String of(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        int u = 0;
        long unit = 1024;
        while (u < UNITS.length - 1 && Long.compareUnsigned(bytes, unit * 1024) >= 0 && unit < (1L << 60)) {
            unit *= 1024;
            u++;
        }
        if (bytes % unit == 0) {
            return bytes / unit + " " + UNITS[u];
        }
        if (u > 0 && bytes % (unit / 1024) == 0 && bytes / (unit / 1024) < 10240) {
            return bytes / (unit / 1024) + " " + UNITS[u - 1];
        }
        return String.format(Locale.ROOT, "%.1f %s", bytes / (double) unit, UNITS[u]);
    }
}
