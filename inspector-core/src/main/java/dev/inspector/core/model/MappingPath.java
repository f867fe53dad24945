package dev.inspector.core.model;

/**
 * The pathname column of a maps line, decoded. {@code name} is the file path for {@link Type#FILE} (with the kernel's
 * {@code \012} escapes decoded and without the " (deleted)" suffix), the name inside {@code [anon:…]} or
 * {@code [anon_shmem:…]} for the named types, the text inside the brackets for {@link Type#OTHER}, and empty
 * otherwise. {@code deleted} is true when the kernel appended " (deleted)" to a file that has been unlinked.
 *
 * <p>A file name is bytes; {@code name} is them decoded as UTF-8. Where they are not valid UTF-8 (each invalid
 * sequence becomes U+FFFD in {@code name}), {@code nameHex} holds the exact bytes of the name in lower-case hex, so
 * that nothing the kernel said is lost; it is null otherwise.
 */
public record MappingPath(Type type, String name, boolean deleted, String nameHex) {

    public enum Type {
        /** No pathname: private or shared anonymous memory without a name. */
        ANONYMOUS,
        /** A file path, including memfd ({@code /memfd:…}), SysV shm ({@code /SYSV…}) and device files. */
        FILE,
        HEAP,
        STACK,
        VDSO,
        VVAR,
        /** {@code [vvar_vclock]}, split out of {@code [vvar]} in Linux 6.x. */
        VVAR_VCLOCK,
        VSYSCALL,
        /** {@code [anon:name]}, set with prctl(PR_SET_VMA_ANON_NAME) (Linux 5.17+, CONFIG_ANON_VMA_NAME). */
        ANON_NAMED,
        /** {@code [anon_shmem:name]}, a named shared anonymous mapping (Linux 6.2+). */
        SHMEM_NAMED,
        /** Any other bracketed name the kernel may write (kept verbatim, never rejected). */
        OTHER
    }

    public static final MappingPath ANONYMOUS = new MappingPath(Type.ANONYMOUS, "", false);
    public static final MappingPath HEAP = new MappingPath(Type.HEAP, "", false);
    public static final MappingPath STACK = new MappingPath(Type.STACK, "", false);
    public static final MappingPath VDSO = new MappingPath(Type.VDSO, "", false);
    public static final MappingPath VVAR = new MappingPath(Type.VVAR, "", false);
    public static final MappingPath VVAR_VCLOCK = new MappingPath(Type.VVAR_VCLOCK, "", false);
    public static final MappingPath VSYSCALL = new MappingPath(Type.VSYSCALL, "", false);

    public MappingPath {
        if (type == null || name == null) {
            throw new NullPointerException("type and name are required");
        }
    }

    /** A path whose name is valid UTF-8 (no {@code nameHex}). */
    public MappingPath(Type type, String name, boolean deleted) {
        this(type, name, deleted, null);
    }

    /** The exact bytes of the name: from {@code nameHex} when there is one, else {@code name} in UTF-8. */
    public byte[] nameBytes() {
        if (nameHex == null) {
            return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        byte[] b = new byte[nameHex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(nameHex, 2 * i, 2 * i + 2, 16);
        }
        return b;
    }

    /** The same path with another name (bytes in {@code nameHex} when not valid UTF-8, else null). */
    public MappingPath withName(String name, String nameHex) {
        return new MappingPath(type, name, deleted, nameHex);
    }

    /**
     * The path of a bracketed kernel name, given the text inside the brackets: the special areas, {@code anon:NAME},
     * {@code anon_shmem:NAME}, and any other name kept as {@link Type#OTHER}.
     */
    public static MappingPath bracketed(String inner) {
        switch (inner) {
            case "heap":
                return HEAP;
            case "stack":
                return STACK;
            case "vdso":
                return VDSO;
            case "vvar":
                return VVAR;
            case "vvar_vclock":
                return VVAR_VCLOCK;
            case "vsyscall":
                return VSYSCALL;
            default:
                if (inner.startsWith("anon:")) {
                    return new MappingPath(Type.ANON_NAMED, inner.substring(5), false);
                }
                if (inner.startsWith("anon_shmem:")) {
                    return new MappingPath(Type.SHMEM_NAMED, inner.substring(11), false);
                }
                return new MappingPath(Type.OTHER, inner, false);
        }
    }

    public static MappingPath file(String path, boolean deleted) {
        return new MappingPath(Type.FILE, path, deleted);
    }

    public boolean isFile() {
        return type == Type.FILE;
    }

    /** A memfd_create file: the kernel names it {@code /memfd:NAME} (and it is always " (deleted)"). */
    public boolean isMemfd() {
        return type == Type.FILE && name.startsWith("/memfd:");
    }

    /** A System V shared-memory segment: {@code /SYSV<key in hex>}. */
    public boolean isSysvShm() {
        return type == Type.FILE && name.startsWith("/SYSV");
    }

    /**
     * The pathname as the kernel would print it in maps (newlines re-escaped as {@code \012}). This is raw text from
     * another process: escape it before it reaches a terminal. For a name that is not valid UTF-8 it holds U+FFFD
     * where the kernel wrote other bytes; {@link #nameBytes()} has them.
     */
    public String kernelText() {
        switch (type) {
            case ANONYMOUS:
                return "";
            case FILE:
                return name.replace("\n", "\\012") + (deleted ? " (deleted)" : "");
            case HEAP:
                return "[heap]";
            case STACK:
                return "[stack]";
            case VDSO:
                return "[vdso]";
            case VVAR:
                return "[vvar]";
            case VVAR_VCLOCK:
                return "[vvar_vclock]";
            case VSYSCALL:
                return "[vsyscall]";
            case ANON_NAMED:
                return "[anon:" + name + "]";
            case SHMEM_NAMED:
                return "[anon_shmem:" + name + "]";
            case OTHER:
                return "[" + name + "]";
            default:
                throw new AssertionError(type);
        }
    }

    /**
     * The pathname as a reader wants it: like {@link #kernelText()}, but a file name decoded (a newline is a newline,
     * not the kernel's {@code \012}). Every text view shows this, escaped for the terminal, so a name reads the same
     * in maps, pages, translate, diff and the lab.
     */
    public String text() {
        if (type == Type.FILE) {
            return deleted ? name + " (deleted)" : name;
        }
        return kernelText();
    }

    @Override
    public String toString() {
        return kernelText();
    }
}
