package dev.inspector.present;

import java.util.List;

/** One line of text that is not a table row (a heading, a labelled line, a note, a footer), made of spans. */
public record Line(List<Span> spans) implements Block {

    private static final Line BLANK = new Line(List.of());

    public Line {
        spans = List.copyOf(spans);
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
