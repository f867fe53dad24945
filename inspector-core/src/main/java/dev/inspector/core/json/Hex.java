package dev.inspector.core.json;

/** Addresses in JSON: lowercase hex strings with a 0x prefix, read as unsigned 64-bit values. */
final class Hex {
    private Hex() {
    }

    static String format(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** Parses "0x" followed by 1 to 16 lowercase hex digits; returns null when the text is not of that form. */
    static Long parse(String s) {
        int n = s.length();
        if (n < 3 || n > 18 || s.charAt(0) != '0' || s.charAt(1) != 'x') {
            return null;
        }
        long v = 0;
        for (int i = 2; i < n; i++) {
            char c = s.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else {
                return null;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
