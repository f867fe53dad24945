package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser of the binary {@code /proc/PID/auxv}: pairs of native-endian unsigned longs (64-bit here; a 32-bit target on
 * a 64-bit kernel still gets the kernel's saved_auxv of 64-bit words), ending at AT_NULL.
 */
public final class AuxvParser {

    private AuxvParser() {
    }

    public static Auxv parse(byte[] b, int len, String file) {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, len).order(ByteOrder.nativeOrder());
        List<Auxv.Entry> out = new ArrayList<>(24);
        int pos = 0;
        while (true) {
            if (pos + 16 > len) {
                throw new MalformedProcFile(file, 0, null,
                        len - pos == 0 ? "no AT_NULL terminator" : "truncated entry at byte " + pos + " of " + len);
            }
            long type = buf.getLong(pos);
            long value = buf.getLong(pos + 8);
            pos += 16;
            if (type == Auxv.AT_NULL) {
                return new Auxv(out);
            }
            out.add(new Auxv.Entry(type, value, name(type)));
        }
    }

    /** The AT_* name of a type (include/uapi/linux/auxvec.h and arch/x86/include/uapi/asm/auxvec.h), or null. */
    public static String name(long type) {
        switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case 0: return "AT_NULL";
            case 1: return "AT_IGNORE";
            case 2: return "AT_EXECFD";
            case 3: return "AT_PHDR";
            case 4: return "AT_PHENT";
            case 5: return "AT_PHNUM";
            case 6: return "AT_PAGESZ";
            case 7: return "AT_BASE";
            case 8: return "AT_FLAGS";
            case 9: return "AT_ENTRY";
            case 10: return "AT_NOTELF";
            case 11: return "AT_UID";
            case 12: return "AT_EUID";
            case 13: return "AT_GID";
            case 14: return "AT_EGID";
            case 15: return "AT_PLATFORM";
            case 16: return "AT_HWCAP";
            case 17: return "AT_CLKTCK";
            case 23: return "AT_SECURE";
            case 24: return "AT_BASE_PLATFORM";
            case 25: return "AT_RANDOM";
            case 26: return "AT_HWCAP2";
            case 27: return "AT_RSEQ_FEATURE_SIZE";
            case 28: return "AT_RSEQ_ALIGN";
            case 29: return "AT_HWCAP3";
            case 30: return "AT_HWCAP4";
            case 31: return "AT_EXECFN";
            case 32: return "AT_SYSINFO";
            case 33: return "AT_SYSINFO_EHDR";
            case 51: return "AT_MINSIGSTKSZ";
            default: return null;
        }
    }
}
