package dev.inspector.core.claims;

import java.util.Objects;

/**
 * What is expected, in words, before anything is measured. {@code id} is the claim of the documents' catalogue it bears
 * on ("C31"), {@code document} the file name of the document that makes that claim; either may be null.
 */
public record Claim(String statement, String id, String document) {

    public Claim {
        statement = required(statement, "statement");
        id = optional(id, "id");
        document = optional(document, "document");
    }

    /** A claim of our own, citing nothing. */
    public static Claim of(String statement) {
        return new Claim(statement, null, null);
    }

    /** The same statement, citing catalogue claim {@code id}. */
    public Claim citing(String id) {
        return new Claim(statement, id, document);
    }

    /** The same claim, naming the document that makes it. */
    public Claim from(String document) {
        return new Claim(statement, id, document);
    }

    /** The same citation, said in other words. */
    public Claim restated(String statement) {
        return new Claim(statement, id, document);
    }

    static String required(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        return s;
    }

    private static String optional(String s, String what) {
        return s == null ? null : required(s, what);
    }
}
