package dev.inspector.present;

import dev.inspector.core.model.RegionKind;

import java.util.List;

/**
 * One row of a {@link Table}: its cells, left to right, and the role of the whole row ({@code kind} set only with
 * {@link Role#KIND}). A row may have fewer cells than the table has columns: it ends after its last cell, without
 * padding (a mapping with no name). Cell text is ready to draw: target text has been through {@link Escape}.
 */
public record Row(Role role, RegionKind kind, List<String> cells) {

    public Row {
        if (role == null || (role == Role.KIND) != (kind != null)) {
            throw new IllegalArgumentException("a row needs a role; a region kind goes with Role.KIND, and only there");
        }
        cells = List.copyOf(cells);
    }

    public static Row of(String... cells) {
        return new Row(Role.PLAIN, null, List.of(cells));
    }

    public static Row of(Role role, String... cells) {
        return new Row(role, null, List.of(cells));
    }

    public static Row kind(RegionKind kind, String... cells) {
        return new Row(Role.KIND, kind, List.of(cells));
    }

    public String cell(int i) {
        return cells.get(i);
    }
}
