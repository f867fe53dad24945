package dev.inspector.cli;

import picocli.CommandLine.Option;

/**
 * How a command that prints tables or text draws them (a picocli mixin, the same in every such command): fitted to the
 * terminal or whole, how wide, in colour or not.
 */
public final class DisplayOptions {

    @Option(names = {"-w", "--wide"},
            description = "Show every column and line whole, however wide (on a terminal the output is fitted to its"
                + " width; into a pipe or a file it is always whole).")
    boolean wide;

    @Option(names = "--width", paramLabel = "COLS",
            description = "Fit the output to COLS columns (20 or more), even into a pipe or a file; 0 never fits."
                + " Default: the terminal's width (COLUMNS when set), none when not writing to a terminal.")
    Integer width;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            completionCandidates = Candidates.Color.class,
            description = "Colour: auto, always or never (NO_COLOR is honoured).")
    String color = "auto";
}
