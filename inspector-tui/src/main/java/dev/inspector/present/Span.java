package dev.inspector.present;

import dev.inspector.core.model.RegionKind;

/**
 * A run of text in a {@link Line} with its role; {@code kind} is set only with {@link Role#KIND}. The text is ready to
 * draw: whatever came from the target has been through {@link Escape} (no control characters).
 */
public record Span(String text, Role role, RegionKind kind) {

    public Span {
        if (text == null || role == null) {
            throw new IllegalArgumentException("a span needs text and a role");
        }
        if ((role == Role.KIND) != (kind != null)) {
            throw new IllegalArgumentException("a region kind goes with Role.KIND, and only there");
        }
    }

    public static Span plain(String text) {
        return new Span(text, Role.PLAIN, null);
    }

    public static Span of(Role role, String text) {
        return new Span(text, role, null);
    }

    public static Span kind(RegionKind kind, String text) {
        return new Span(text, Role.KIND, kind);
    }
}
