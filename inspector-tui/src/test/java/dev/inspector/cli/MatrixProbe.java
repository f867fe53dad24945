package dev.inspector.cli;

import dev.inspector.core.session.Host;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One reader's row of the privilege matrix: runs every command that takes a PID against each target, in this JVM,
 * and reports each cell as one line {@code TARGET<TAB>COMMAND<TAB>STATUS<TAB>FIRST STDERR LINE}. Run in-process for
 * root and in a JVM of its own as uid 65534 ({@link PrivilegeMatrixTest}), so both readers run the same code.
 */
public final class MatrixProbe {

    /** The commands of a column, PID standing for the target. */
    static final List<String> COMMANDS = List.of("maps PID", "pages PID", "snapshot PID", "translate PID 0x1000",
            "watch PID -n 2 -i 100ms", "diff PID --after 100ms", "model PID");

    private MatrixProbe() {
    }

    /** Arguments: NAME=PID pairs. */
    public static void main(String[] args) {
        Host host = Host.system("matrix");
        for (String cell : run(host, args)) {
            System.out.println(cell);
        }
    }

    static List<String> run(Host host, String... targets) {
        List<String> out = new ArrayList<>();
        for (String t : targets) {
            String name = t.substring(0, t.indexOf('='));
            String pid = t.substring(t.indexOf('=') + 1);
            for (String command : COMMANDS) {
                StringWriter err = new StringWriter();
                int code = Main.run(host, new PrintWriter(new StringWriter()), new PrintWriter(err),
                        command.replace("PID", pid).split(" "));
                String first = err.toString().lines().findFirst().orElse("");
                out.add(name + "\t" + command + "\t" + code + "\t" + first.replace('\t', ' '));
            }
        }
        return out;
    }
}
