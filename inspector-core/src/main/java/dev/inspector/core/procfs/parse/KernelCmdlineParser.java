package dev.inspector.core.procfs.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser of {@code /proc/cmdline}, the kernel's boot parameters: words separated by spaces; a "--" ends them (what
 * follows goes to init). Quoting ("param=\"a b\"") is rare on the command lines this tool meets and is not unfolded.
 */
public final class KernelCmdlineParser {

    private KernelCmdlineParser() {
    }

    /** The kernel's own parameters, in order (init's arguments after "--" excluded). */
    public static List<String> parameters(String text) {
        List<String> out = new ArrayList<>();
        for (String word : Words.of(text.replace('\n', ' '))) {
            if (word.equals("--")) {
                break;
            }
            out.add(word);
        }
        return out;
    }
}
