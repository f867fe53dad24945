package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

/** Parser of {@code /proc/PID/personality}: the persona word in hex (8 digits) and a newline. */
public final class PersonalityParser {

    /** ADDR_NO_RANDOMIZE (include/uapi/linux/personality.h): this process's address space is not randomised. */
    public static final long ADDR_NO_RANDOMIZE = 0x0040000L;

    private PersonalityParser() {
    }

    public static long parse(String text, String file) {
        String t = text.trim();
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new MalformedProcFile(file, 1, t, "expected a hex persona word");
        }
    }
}
