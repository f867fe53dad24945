package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.KernelLayout.RamRange;

import java.util.ArrayList;
import java.util.List;

/** Parser of {@code /proc/iomem}: "start-end : name" per line, hex, end inclusive, nested resources indented. */
public final class IomemParser {

    private IomemParser() {
    }

    /** The top-level "System RAM" lines (nested resources are skipped). */
    public static List<RamRange> systemRam(String text, String file) {
        List<RamRange> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == ' ') {
                continue;
            }
            int dash = line.indexOf('-');
            int colon = line.indexOf(" : ");
            if (dash <= 0 || colon < dash) {
                throw new MalformedProcFile(file, lineNo, line, "expected 'start-end : name'");
            }
            String name = line.substring(colon + 3);
            if (!name.equals("System RAM")) {
                continue;
            }
            try {
                long start = Long.parseUnsignedLong(line, 0, dash, 16);
                long end = Long.parseUnsignedLong(line, dash + 1, colon, 16);
                out.add(new RamRange(start, end, name));
            } catch (NumberFormatException e) {
                throw new MalformedProcFile(file, lineNo, line, "bad hex address");
            }
        }
        return out;
    }
}
