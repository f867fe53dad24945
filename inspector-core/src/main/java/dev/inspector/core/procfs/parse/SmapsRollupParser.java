package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Smaps;

import java.nio.charset.StandardCharsets;

/**
 * Parser of {@code /proc/PID/smaps_rollup} (Linux 4.14+): one header line shaped like an smaps address line (the
 * range from the lowest to the highest VMA, named {@code [rollup]}), then the same "Key: N kB" lines as smaps plus
 * the rollup-only Pss_Anon, Pss_File and Pss_Shmem (5.9+). There is no VmFlags line, so {@code vmFlags} is null.
 */
public final class SmapsRollupParser {

    private SmapsRollupParser() {
    }

    public static Smaps parse(byte[] b, int len, String file) {
        int nl = MapsParser.indexOf(b, (byte) '\n', 0, len);
        int headerEnd = nl < 0 ? len : nl;
        if (len == 0 || !MapsParser.isAddressLine(b, 0, headerEnd)) {
            throw new MalformedProcFile(file, 1, len == 0 ? "" : new String(b, 0, headerEnd, StandardCharsets.UTF_8),
                    "expected the address-range header line");
        }
        MapsParser.parseLine(b, 0, headerEnd, new MapsParser.Cursor(file), 1);
        SmapsFields fields = new SmapsFields(file);
        int lineNo = 1;
        int s = headerEnd + 1;
        while (s < len) {
            int e = MapsParser.indexOf(b, (byte) '\n', s, len);
            if (e < 0) {
                e = len;
            }
            lineNo++;
            if (e > s) {
                if (MapsParser.isAddressLine(b, s, e)) {
                    throw fields.bad(b, s, e, lineNo, "a second address line in smaps_rollup");
                }
                fields.line(b, s, e, lineNo);
            }
            s = e + 1;
        }
        Smaps out = fields.finish();
        if (out.vmFlags() != null) {
            throw new MalformedProcFile(file, 0, null, "smaps_rollup has no VmFlags line");
        }
        return out;
    }

    public static Smaps parse(String text, String file) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, b.length, file);
    }
}
