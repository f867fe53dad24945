package dev.inspector.core.procfs.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsers of {@code /proc/PID/cmdline} and {@code /proc/PID/comm}. cmdline is the argument strings separated by NUL,
 * the last NUL optional (a process that rewrote its argv area, e.g. with setproctitle, may leave none); a kernel
 * thread or a zombie has an empty cmdline. comm is the task name plus a newline.
 */
public final class CmdlineParser {

    private CmdlineParser() {
    }

    public static List<String> parseCmdline(byte[] b, int len) {
        List<String> out = new ArrayList<>();
        int s = 0;
        while (s < len) {
            int e = MapsParser.indexOf(b, (byte) 0, s, len);
            if (e < 0) {
                e = len;
            }
            out.add(new String(b, s, e - s, StandardCharsets.UTF_8));
            s = e + 1;
        }
        return out;
    }

    /** The comm text without its trailing newline (spaces inside the name are kept). */
    public static String parseComm(byte[] b, int len) {
        int e = len;
        if (e > 0 && b[e - 1] == '\n') {
            e--;
        }
        return new String(b, 0, e, StandardCharsets.UTF_8);
    }
}
