package dev.inspector.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a test runs a command as an ordinary user, so the kernel's own refusals are what it checks. A root test JVM is
 * never refused, so it switches a child to uid/gid 65534 through setpriv; a test JVM that is already an ordinary user
 * (the non-root CI lane) runs the child as itself. Only a non-root JVM that holds capabilities has no honest way and
 * skips.
 */
public final class Unprivileged {

    private static final String SETPRIV = "/usr/bin/setpriv";

    private Unprivileged() {
    }

    /** The prefix that makes a command run unprivileged: setpriv's arguments as root, nothing when we already are. */
    public static Optional<List<String>> prefix() {
        Status s = Status.self();
        if (s.uid() == 0) {
            return Files.isExecutable(Path.of(SETPRIV))
                    ? Optional.of(List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups"))
                    : Optional.empty();
        }
        return s.noCapabilities() ? Optional.of(List.of()) : Optional.empty();
    }

    /** The reason {@link #prefix()} is empty, for a JUnit assumption. */
    public static String whyNot() {
        Status s = Status.self();
        return s.uid() == 0 ? "needs " + SETPRIV + " (util-linux) to run a command as uid 65534"
                : "this non-root JVM holds capabilities (CapEff " + s.capEff() + "): it is not an ordinary user";
    }

    /** {@code cmd} prefixed by {@link #prefix()}; call only when it is present. */
    public static List<String> command(String... cmd) {
        List<String> c = new ArrayList<>(prefix().orElseThrow(() -> new IllegalStateException(whyNot())));
        c.addAll(List.of(cmd));
        return c;
    }

    /** Our effective uid (from /proc/self/status). */
    public static int uid() {
        return Status.self().uid();
    }

    /** Are we root (effective uid 0)? */
    public static boolean root() {
        return uid() == 0;
    }

    private record Status(int uid, String capEff) {
        boolean noCapabilities() {
            return capEff.chars().allMatch(c -> c == '0');
        }

        static Status self() {
            try {
                int uid = -1;
                String cap = "?";
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Uid:")) {
                        uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[1]); // effective
                    } else if (line.startsWith("CapEff:")) {
                        cap = line.substring(7).trim();
                    }
                }
                return new Status(uid, cap);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc/self/status", e);
            }
        }
    }
}
