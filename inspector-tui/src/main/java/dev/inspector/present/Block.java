package dev.inspector.present;

/**
 * A piece of a presenter's output, in order: a {@link Table} of rows and cells, or a {@link Line} of spans. A presenter
 * returns a list of blocks; {@link TextRenderer} writes them as text, the full-screen view draws them.
 */
public sealed interface Block permits Line, Table {
}
