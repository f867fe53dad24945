package dev.inspector.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

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

    /**
     * A class path holding {@code classes} that the unprivileged child can read. As root it is a world-readable copy
     * in a temporary directory (removed when this JVM exits), since the checkout may lie where uid 65534 cannot read
     * (under /root, say); as an ordinary user it is the class path as it is.
     */
    public static String classpath(Class<?>... classes) throws IOException {
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                sources.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!root()) {
            return String.join(":", sources.stream().map(Path::toString).toList());
        }
        Path dir = Files.createTempDirectory("inspector-unprivileged-cp");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (Path src : sources) {
            Path dst = dir.resolve(String.format("%02d-%s", i++, src.getFileName()));
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path t = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            entries.add(dst.toString());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
        return String.join(":", entries);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit: a few kilobytes under /tmp
        }
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
