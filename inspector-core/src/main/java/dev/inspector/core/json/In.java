package dev.inspector.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inspector.core.BadInput;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSON value being read strictly, with its JSON pointer, so every complaint names the file, the exact place and what
 * was expected (e.g. {@code snap.json: /regions/12/mapping/start: expected a hex address string like "0x7ffd1000",
 * found number}).
 */
final class In {
    final JsonNode node;
    final String pointer;
    final String file;

    In(JsonNode node, String pointer, String file) {
        this.node = node;
        this.pointer = pointer;
        this.file = file;
    }

    BadInput bad(String expected) {
        return new BadInput(file + ": " + (pointer.isEmpty() ? "/" : pointer) + ": expected " + expected + ", found "
                + describe(node));
    }

    BadInput fail(String message) {
        return new BadInput(file + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + message);
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing (the member is missing)";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return "string \"" + quote(n.asText()) + "\"";
        }
        if (n.isIntegralNumber()) {
            return "integer " + n.asText();
        }
        if (n.isNumber()) {
            return "number " + n.asText();
        }
        if (n.isBoolean()) {
            return "boolean " + n.asText();
        }
        if (n.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /**
     * A string from the document, fit to quote in a one-line message: cut to 40 characters, and every character that
     * could break the line or reach a terminal as a control (C0, DEL, C1, line and paragraph separators, bidi
     * controls) written as an escape, the backslash doubled so the escapes are unambiguous.
     */
    static String quote(String t) {
        String cut = t.length() > 40 ? t.substring(0, 37) : t;
        StringBuilder b = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && c != 0x2028 && c != 0x2029
                    && !(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069)) {
                b.append(c);
            } else {
                b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return cut.length() < t.length() ? b.append("...").toString() : b.toString();
    }

    /**
     * A member name as a JSON pointer token (RFC 6901: {@code ~0}, {@code ~1}), quoted like any document string
     * ({@link #quote}): the pointer is only ever shown in messages, and a name may hold anything.
     */
    static String escape(String name) {
        return quote(name.replace("~", "~0").replace("/", "~1"));
    }

    /** A required member of this object (it may be JSON null; the typed getter decides). */
    In get(String name) {
        if (!node.isObject()) {
            throw bad("an object");
        }
        JsonNode child = node.get(name);
        String ptr = pointer + "/" + escape(name);
        if (child == null) {
            throw new BadInput(file + ": " + ptr + ": missing required member \"" + name + "\"");
        }
        return new In(child, ptr, file);
    }

    /** A member that may be absent (used only where the format says so); null when absent. */
    In opt(String name) {
        if (!node.isObject()) {
            throw bad("an object");
        }
        JsonNode child = node.get(name);
        return child == null ? null : new In(child, pointer + "/" + escape(name), file);
    }

    boolean isNull() {
        return node.isNull();
    }

    In object() {
        if (!node.isObject()) {
            throw bad("an object");
        }
        return this;
    }

    String str() {
        if (!node.isTextual()) {
            throw bad("a string");
        }
        return node.textValue();
    }

    String strOrNull() {
        return node.isNull() ? null : str();
    }

    long lng() {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw bad("an integer");
        }
        return node.longValue();
    }

    long nonNegative() {
        long v = lng();
        if (v < 0) {
            throw bad("a non-negative integer");
        }
        return v;
    }

    /** A count the producer may not know: null in the file, -1 in the model (as the residency layer uses it). */
    long nonNegativeOrUnknown() {
        return node.isNull() ? -1 : nonNegative();
    }

    int integer() {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw bad("a 32-bit integer");
        }
        return node.intValue();
    }

    Integer integerOrNull() {
        return node.isNull() ? null : integer();
    }

    boolean bool() {
        if (!node.isBoolean()) {
            throw bad("true or false");
        }
        return node.booleanValue();
    }

    Boolean boolOrNull() {
        return node.isNull() ? null : bool();
    }

    long hex() {
        Long v = node.isTextual() ? Hex.parse(node.textValue()) : null;
        if (v == null) {
            throw bad("a hex address string like \"0x7ffd1000\" (lowercase, at most 16 digits)");
        }
        return v;
    }

    Long hexOrNull() {
        return node.isNull() ? null : hex();
    }

    <E extends Enum<E>> E enumValue(Class<E> type) {
        String s = str();
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                names.append(names.length() == 0 ? "" : ", ").append(c.name());
            }
            throw bad("one of " + names);
        }
    }

    List<In> elements() {
        if (!node.isArray()) {
            throw bad("an array");
        }
        List<In> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new In(node.get(i), pointer + "/" + i, file));
        }
        return out;
    }

    List<In> elementsOrNull() {
        return node.isNull() ? null : elements();
    }

    /** The members of an object in document order. */
    List<Map.Entry<String, In>> members() {
        if (!node.isObject()) {
            throw bad("an object");
        }
        List<Map.Entry<String, In>> out = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(Map.entry(e.getKey(), new In(e.getValue(), pointer + "/" + escape(e.getKey()), file)));
        }
        return out;
    }

    List<String> strings() {
        List<String> out = new ArrayList<>();
        for (In e : elements()) {
            out.add(e.str());
        }
        return out;
    }

    /** What reading an input file can do to a user, as one typed error naming the file. */
    static RuntimeException readError(java.nio.file.Path file, java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return new dev.inspector.core.BadInput(file + ": no such file");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new dev.inspector.core.AccessDenied(file, "not readable by this user");
        }
        return new dev.inspector.core.BadInput(file + ": cannot read: " + e.getMessage(), e);
    }
}
