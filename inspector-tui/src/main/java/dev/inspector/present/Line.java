package dev.inspector.present;

import java.util.List;

/**
 * One line of text that is not a table row (a heading, a labelled line, a note, a footer), made of spans. On a screen
 * narrower than the line the renderer wraps it at spaces; {@code hang} is the indentation of the continuation lines
 * (the column where a labelled line's text starts), 0 for plain prose.
 */
public record Line(List<Span> spans, int hang) implements Block {

    private static final Line BLANK = new Line(List.of(), 0);

    public Line {
        spans = List.copyOf(spans);
        if (hang < 0) {
            throw new IllegalArgumentException("a hanging indent is 0 or more, not " + hang);
        }
    }

    /** A line whose continuation lines, if wrapped, start at column 0. */
    public Line(List<Span> spans) {
        this(spans, 0);
    }

    /** A line of plain text. */
    public static Line of(String text) {
        return new Line(List.of(Span.plain(text)));
    }

    /** A line of text in one role. */
    public static Line of(Role role, String text) {
        return new Line(List.of(Span.of(role, text)));
    }

    public static Line of(Span... spans) {
        return new Line(List.of(spans));
    }

    /** An empty line (a paragraph break). */
    public static Line blank() {
        return BLANK;
    }

    /** This line, wrapped (on a narrow screen) with continuation lines indented by {@code columns}. */
    public Line hanging(int columns) {
        return new Line(spans, columns);
    }

    /** The text without roles. */
    public String text() {
        if (spans.size() == 1) {
            return spans.get(0).text();
        }
        StringBuilder b = new StringBuilder();
        for (Span s : spans) {
            b.append(s.text());
        }
        return b.toString();
    }
}
