package dev.inspector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Usage errors a user can act on: an unknown command or option is named as such, with the closest known one ("did you
 * mean"), instead of whatever picocli made of the words after it (a typo'd option before the PID used to be reported
 * as a bad PID, because picocli had taken the option's value for the PID).
 */
final class Suggest {

    private Suggest() {
    }

    /**
     * The message for a top-level command line whose first word is not a command, or null when it is one (or when
     * there is no command word: picocli then reports what is wrong).
     */
    static String unknownCommand(String[] args, Collection<String> commands) {
        for (String a : args) {
            if (a.equals("--")) {
                return null;
            }
            if (a.startsWith("-") || a.startsWith("@")) {
                continue; // options of the top-level command, an @argument file
            }
            if (a.equals("help") || commands.contains(a)) {
                return null;
            }
            String near = closest(a, commands);
            return "unknown command '" + a + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
                    + "; the commands are " + String.join(", ", commands);
        }
        return null;
    }

    /**
     * The message for a parse error: the first unknown option on the command line when there is one (whatever picocli
     * tripped over first, often the value that followed it), else picocli's own message.
     */
    static String explain(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String unknown = cl == null ? null : unknownOption(cl.getCommandSpec(), args);
        return unknown != null ? unknown : ex.getMessage();
    }

    /** "unknown option '--knd' (did you mean '--kind'?)" for the first option {@code spec} does not have, or null. */
    static String unknownOption(CommandSpec spec, String[] args) {
        int from = startOf(spec, args);
        if (from < 0) {
            return null;
        }
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (!looksLikeOption(a)) {
                continue;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(0, eq) : a;
                OptionSpec o = spec.findOption(name);
                if (o == null) {
                    return unknown(name, spec);
                }
                if (eq < 0 && takesValue(o)) {
                    i++; // its value, whatever it looks like
                }
                continue;
            }
            // -x, a cluster of short options -rw, or one with its value attached -n5
            for (int k = 1; k < a.length(); k++) {
                String name = "-" + a.charAt(k);
                OptionSpec o = spec.findOption(name);
                if (o == null) {
                    return unknown(k == 1 ? a : name, spec);
                }
                if (takesValue(o)) {
                    if (k == a.length() - 1) {
                        i++;
                    }
                    break;
                }
            }
        }
        return null;
    }

    private static String unknown(String given, CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            names.addAll(List.of(o.names()));
        }
        if (given.length() == 2) {
            // One letter is one edit from every other letter: a nearest one would be a guess. List them instead.
            java.util.TreeSet<String> shorts = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (String n : names) {
                if (n.length() == 2 && n.charAt(0) == '-' && !o(spec, n).hidden()) {
                    shorts.add(n);
                }
            }
            return "unknown option '" + given + "'" + (shorts.isEmpty() ? ""
                    : " (the one-letter options here are " + String.join(", ", shorts) + ")");
        }
        String near = closest(given, names);
        return "unknown option '" + given + "'" + (near == null ? "" : " (did you mean '" + near + "'?)");
    }

    private static OptionSpec o(CommandSpec spec, String name) {
        return spec.findOption(name);
    }

    private static boolean takesValue(OptionSpec o) {
        return o.arity().min() >= 1;
    }

    /** An option word: a dash and more, but not a negative number (a value such as {@code --from -1}). */
    static boolean looksLikeOption(String a) {
        return a.length() > 1 && a.charAt(0) == '-' && !QuickArgs.isDecimal(a);
    }

    /** The index of the first argument after the words naming {@code spec} (and its parents), or -1. */
    private static int startOf(CommandSpec spec, String[] args) {
        List<String> names = new ArrayList<>();
        for (CommandSpec s = spec; s != null && s.parent() != null; s = s.parent()) {
            names.add(0, s.name());
        }
        int i = 0;
        for (String n : names) {
            while (i < args.length && !args[i].equals(n)) {
                i++;
            }
            if (i == args.length) {
                return -1;
            }
            i++;
        }
        return i;
    }

    /** The known word nearest to {@code word} (a prefix of it, or at most two edits away), or null. */
    static String closest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.startsWith(word) && word.length() >= 2 + (word.startsWith("--") ? 2 : 0) ? 1 : distance(word, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int limit = Math.min(2, Math.max(1, word.replace("-", "").length() / 3));
        return bestDistance <= limit ? best : null;
    }

    /** Edits between two words: insertions, deletions, substitutions, swaps of neighbours ("mpas" is 1 from "maps"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
