package dev.inspector.cli;

import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code --color} alone, for the full-screen view (which has no width to fit: the screen is its width); the commands
 * that print text take it with the rest of {@link DisplayOptions}.
 */
public final class ColorOption {

    String when = "auto";

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            completionCandidates = Candidates.Color.class,
            description = "Colour: auto, always or never (NO_COLOR is honoured).")
    void when(String value) {
        // Option values take any case in every command (--color=NEVER as --sort=RSS).
        when = value.toLowerCase(Locale.ROOT);
    }
}
