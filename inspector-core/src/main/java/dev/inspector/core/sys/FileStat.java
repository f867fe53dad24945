package dev.inspector.core.sys;

/**
 * What statx(2) says about an open file: its type, identity (device as major:minor, the way /proc/PID/maps prints it,
 * and inode), size and modification time, and, where a caller asked for it, the filesystem's magic number from
 * fstatfs(2) (0 otherwise), so it can tell overlayfs, whose mappings may name another layer's device.
 */
public record FileStat(Type type, int mode, int devMajor, int devMinor, long inode, long size, long mtimeSeconds,
                       int mtimeNanos, long fsType) {

    /** The file type bits of st_mode (S_IFMT). */
    public enum Type {
        REGULAR("a regular file"), DIRECTORY("a directory"), FIFO("a FIFO"), CHAR_DEVICE("a character device"),
        BLOCK_DEVICE("a block device"), SOCKET("a socket"), SYMLINK("a symbolic link"), UNKNOWN("of unknown type");

        private final String words;

        Type(String words) {
            this.words = words;
        }

        /** "a FIFO", "a character device", ... for evidence lines. */
        public String words() {
            return words;
        }

        static Type of(int mode) {
            switch (mode & 0170000) {
                case 0100000:
                    return REGULAR;
                case 0040000:
                    return DIRECTORY;
                case 0010000:
                    return FIFO;
                case 0020000:
                    return CHAR_DEVICE;
                case 0060000:
                    return BLOCK_DEVICE;
                case 0140000:
                    return SOCKET;
                case 0120000:
                    return SYMLINK;
                default:
                    return UNKNOWN;
            }
        }
    }

    /** OVERLAYFS_SUPER_MAGIC (include/uapi/linux/magic.h). */
    public static final long OVERLAYFS_MAGIC = 0x794c7630L;

    /** The same facts with the filesystem's magic number filled in. */
    public FileStat withFsType(long type) {
        return new FileStat(this.type, mode, devMajor, devMinor, inode, size, mtimeSeconds, mtimeNanos, type);
    }

    public boolean onOverlayfs() {
        return fsType == OVERLAYFS_MAGIC;
    }

    /** The device the way maps prints it: {@code fe:01}. */
    public String device() {
        return String.format("%02x:%02x", devMajor, devMinor);
    }
}
