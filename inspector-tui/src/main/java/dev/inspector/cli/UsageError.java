package dev.inspector.cli;

/**
 * A usage error found while a command runs (an option value that parses but makes no sense, options that cannot be
 * combined): reported like picocli's own parse errors, one line and a pointer to the command's help, exit 2.
 * Commands throw it through {@link BaseCommand#usage(String)}; it works whether picocli parsed the command line or the
 * quick path ({@link QuickArgs}) did.
 */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message, null, false, false);
    }
}
