package dev.inspector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * One layout for every command's {@code --help}, set on picocli's model in one place so no command can differ: a
 * one-line summary, the usage, the description, then "Arguments:", "Options:", "Commands:" and "Exit codes:"
 * sections, 80 columns wide whatever the terminal (help text reads the same everywhere and in the man pages). Every
 * command also answers {@code --version}.
 */
final class HelpLayout {

    /** The width help is laid out in. */
    static final int WIDTH = 80;

    private HelpLayout() {
    }

    /** Applies the layout to {@code top} and every subcommand below it, sharing {@code top}'s exit-code list. */
    static void apply(CommandLine top) {
        apply(top, top.getCommandSpec().usageMessage());
    }

    private static void apply(CommandLine cl, UsageMessageSpec top) {
        CommandSpec spec = cl.getCommandSpec();
        UsageMessageSpec u = spec.usageMessage();
        u.width(WIDTH);
        u.autoWidth(false);
        u.headerHeading("");
        u.synopsisHeading("Usage: ");
        u.descriptionHeading("%n");
        u.parameterListHeading("%nArguments:%n");
        u.optionListHeading("%nOptions:%n");
        u.commandListHeading("%nCommands:%n");
        u.exitCodeListHeading("%nExit codes:%n");
        u.exitCodeList(top.exitCodeList());
        u.footerHeading("");
        spec.versionProvider(new VersionProvider());
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub, top);
        }
    }
}
