package dev.inspector.core.elf;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.BadInput;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.sys.FileStat;
import dev.inspector.core.sys.OpenFile;

import java.nio.file.Path;

/** Opening a file by path without blocking and without touching anything but a regular file. */
final class SafeOpen {

    private SafeOpen() {
    }

    /**
     * The file at {@code path}, opened for reading only after {@code O_PATH} + statx showed a regular file. Throws
     * {@link BadInput} (missing, not a regular file, cannot open) or {@link AccessDenied}.
     */
    static OpenFile regularFile(Path path) {
        OpenFile f = locate(path);
        try {
            FileStat st = f.stat();
            if (st.type() != FileStat.Type.REGULAR) {
                throw new BadInput(path + ": not a regular file (" + st.type().words() + ")");
            }
            f.openForReading();
            return f;
        } catch (NativeCallFailed e) {
            f.close();
            throw translate(e, path);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    static OpenFile locate(Path path) {
        try {
            return OpenFile.locate(path.toString());
        } catch (NativeCallFailed e) {
            throw translate(e, path);
        }
    }

    static RuntimeException translate(NativeCallFailed e, Path path) {
        if (OpenFile.denied(e)) {
            return new AccessDenied(path, "the ELF file must be readable by the inspecting user");
        }
        if (e.errno() == OpenFile.ENOENT) {
            return new BadInput(path + ": no such file");
        }
        return new BadInput(path + ": " + e.getMessage(), e);
    }
}
