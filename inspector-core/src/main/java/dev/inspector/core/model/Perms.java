package dev.inspector.core.model;

/** The four permission characters of a maps line, e.g. {@code r-xp}: read, write, execute, and shared (s) or private (p). */
public record Perms(boolean read, boolean write, boolean exec, boolean shared) {

    /** Parses exactly four characters at {@code off}; returns null if they are not a valid permission field. */
    public static Perms parse(CharSequence cs, int off) {
        if (cs.length() < off + 4) {
            return null;
        }
        char r = cs.charAt(off), w = cs.charAt(off + 1), x = cs.charAt(off + 2), s = cs.charAt(off + 3);
        if ((r != 'r' && r != '-') || (w != 'w' && w != '-') || (x != 'x' && x != '-') || (s != 's' && s != 'p')) {
            return null;
        }
        return of(r == 'r', w == 'w', x == 'x', s == 's');
    }

    /** Parses a permission string such as {@code rw-p}; throws IllegalArgumentException when it is not one. */
    public static Perms parse(String text) {
        Perms p = text.length() == 4 ? parse(text, 0) : null;
        if (p == null) {
            throw new IllegalArgumentException("not a permission field (expected like r-xp): " + text);
        }
        return p;
    }

    private static final Perms[] CACHE = new Perms[16];

    static {
        for (int i = 0; i < 16; i++) {
            CACHE[i] = new Perms((i & 8) != 0, (i & 4) != 0, (i & 2) != 0, (i & 1) != 0);
        }
    }

    /** Shared instances: maps has millions of lines in the worst case, perms only sixteen values. */
    public static Perms of(boolean read, boolean write, boolean exec, boolean shared) {
        return CACHE[(read ? 8 : 0) | (write ? 4 : 0) | (exec ? 2 : 0) | (shared ? 1 : 0)];
    }

    /** True when none of r, w, x is set ({@code ---p}): a reservation or a guard. */
    public boolean none() {
        return !read && !write && !exec;
    }

    @Override
    public String toString() {
        return new String(new char[] {read ? 'r' : '-', write ? 'w' : '-', exec ? 'x' : '-', shared ? 's' : 'p'});
    }
}
