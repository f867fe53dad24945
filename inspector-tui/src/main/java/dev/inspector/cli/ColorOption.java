package dev.inspector.cli;

import picocli.CommandLine.Option;

/** The {@code --color} option every text-printing command shares (a picocli mixin). */
public final class ColorOption {
    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour: auto, always or never (NO_COLOR is honoured).")
    String when = "auto";
}
