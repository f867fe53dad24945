package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapsParserTest {

    /** A line the way the kernel pads it: the name starts at column 73 (or one past a longer prefix). */
    static String padded(String prefix, String name) {
        StringBuilder sb = new StringBuilder(prefix);
        sb.append(' ');
        while (sb.length() < 73) {
            sb.append(' ');
        }
        return sb.append(name).toString();
    }

    private static final String P = "7f41ee28f000-7f41ee291000 rw-s 00000000 fe:00 2147105";

    @Test
    void leadingAndTrailingSpacesOfAFileNameAreKept() {
        Mapping m = MapsParser.parseLine(padded(P, "/tmp/files/  lead and trail  "));
        assertEquals("/tmp/files/  lead and trail  ", m.path().name());
        Mapping leadingOnly = MapsParser.parseLine(padded(P, "  /odd"));
        assertEquals("  /odd", leadingOnly.path().name());
    }

    @Test
    void fixedFieldsAreDecoded() {
        Mapping m = MapsParser.parseLine(padded(P, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals(0x7f41ee28f000L, m.start());
        assertEquals(0x7f41ee291000L, m.end());
        assertEquals("rw-s", m.perms().toString());
        assertEquals(0xfe, m.devMajor());
        assertEquals(0, m.devMinor());
        assertEquals(2147105L, m.inode());
        assertEquals(MappingPath.Type.FILE, m.path().type());
    }

    @Test
    void escapedNewlineIsDecoded() {
        Mapping m = MapsParser.parseLine(padded(P, "/tmp/files/new\\012line"));
        assertEquals("/tmp/files/new\nline", m.path().name());
        assertEquals("/tmp/files/new\\012line", m.path().kernelText());
    }

    @Test
    void bracketedNamesAreTyped() {
        String a = "7f0000000000-7f0000004000 rw-p 00000000 00:00 0";
        assertEquals(new MappingPath(MappingPath.Type.ANON_NAMED, "name with spaces: and/slashes", false),
                MapsParser.parseLine(padded(a, "[anon:name with spaces: and/slashes]")).path());
        assertEquals(new MappingPath(MappingPath.Type.SHMEM_NAMED, "x", false),
                MapsParser.parseLine(padded(a, "[anon_shmem:x]")).path());
        assertEquals(MappingPath.VVAR_VCLOCK, MapsParser.parseLine(padded(a, "[vvar_vclock]")).path());
        assertEquals(new MappingPath(MappingPath.Type.OTHER, "foo", false),
                MapsParser.parseLine(padded(a, "[foo]")).path());
        assertEquals(MappingPath.HEAP, MapsParser.parseLine(padded(a, "[heap]")).path());
        assertEquals(MappingPath.STACK, MapsParser.parseLine(padded(a, "[stack]")).path());
    }

    @Test
    void deletedSuffixIsSplitOff() {
        String s = "7f41ee288000-7f41ee289000 rw-s 00000000 00:01 1046";
        MappingPath memfd = MapsParser.parseLine(padded(s, "/memfd:a (deleted)")).path();
        assertEquals("/memfd:a", memfd.name());
        assertTrue(memfd.deleted());
        assertTrue(memfd.isMemfd());
        MappingPath sysv = MapsParser.parseLine(padded(s, "/SYSV00000000 (deleted)")).path();
        assertTrue(sysv.isSysvShm());
        assertTrue(sysv.deleted());
        MappingPath zero = MapsParser.parseLine(padded(s, "/dev/zero (deleted)")).path();
        assertEquals("/dev/zero", zero.name());
    }

    @Test
    void pseudoFilesAreFilesWithTheirKernelName() {
        String s = "7f0000000000-7f0000001000 rw-s 00000000 00:0f 1046";
        assertEquals("anon_inode:[perf_event]", MapsParser.parseLine(padded(s, "anon_inode:[perf_event]")).path().name());
        assertEquals("socket:[123]", MapsParser.parseLine(padded(s, "socket:[123]")).path().name());
    }

    @Test
    void deviceMappingKeepsMajorMinor() {
        Mapping m = MapsParser.parseLine(padded("7f0000000000-7f0000100000 rw-s 000a0000 00:05 85", "/dev/mem"));
        assertEquals(0xa0000L, m.offset());
        assertEquals(5, m.devMinor());
        assertEquals("/dev/mem", m.path().name());
    }

    @Test
    void kernelHalfAddressesAreUnsigned() {
        Mapping m = MapsParser.parseLine(padded("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0", "[vsyscall]"));
        assertEquals(0xffffffffff600000L, m.start());
        assertEquals(4096, m.size());
        assertTrue(m.contains(0xffffffffff600800L));
        assertFalse(m.contains(0x7fffffffe000L));
        assertEquals(MappingPath.VSYSCALL, m.path());
    }

    @Test
    void unpaddedLinesFallBackToFirstNonSpace() {
        Mapping m = MapsParser.parseLine("400000-401000 r-xp 00000000 08:01 42 /bin/x");
        assertEquals("/bin/x", m.path().name());
        assertEquals(MappingPath.ANONYMOUS, MapsParser.parseLine("400000-401000 rw-p 00000000 00:00 0").path());
        assertEquals(MappingPath.ANONYMOUS, MapsParser.parseLine("400000-401000 rw-p 00000000 00:00 0 ").path());
    }

    @Test
    void wholeFileAndGarbage() {
        List<Mapping> ms = MapsParser.parse(padded(P, "/a") + "\n" + padded(P, "/b") + "\n", "maps");
        assertEquals(2, ms.size());
        assertThrows(MalformedProcFile.class, () -> MapsParser.parseLine("not a maps line"));
        assertThrows(MalformedProcFile.class, () -> MapsParser.parseLine("2000-1000 rw-p 00000000 00:00 0"));
        assertThrows(MalformedProcFile.class, () -> MapsParser.parseLine("1000-2000 rwzp 00000000 00:00 0"));
        assertThrows(MalformedProcFile.class, () -> MapsParser.parseLine("1000-2000 rw-p 0 00:00"));
        assertThrows(MalformedProcFile.class, () -> MapsParser.parseLine("11112222333344445-2000 rw-p 0 00:00 0"));
        MalformedProcFile e = assertThrows(MalformedProcFile.class,
                () -> MapsParser.parse("1000-2000 rw-p 0 00:00 0\nbad\n", "/proc/1/maps"));
        assertEquals(2, e.lineNumber());
        assertEquals("/proc/1/maps", e.file());
    }

    @Test
    void aNewlineInsideTheFixedFieldsEndsTheLineWithAnError() {
        // Each field must end at its own delimiter on the same line, never run on into the next line's text.
        String[] cut = {"1000\n-2000 rw-p 00000000 00:00 0", "1000-2000\nrw-p 00000000 00:00 0",
            "1000-2000 rw-p\n00000000 00:00 0", "1000-2000 rw-p 00000000\n00:00 0", "1000-2000 rw-p 00000000 00\n:00 0",
            "1000-2000 rw-p 00000000 00:00\n0"};
        for (String text : cut) {
            MalformedProcFile e = assertThrows(MalformedProcFile.class, () -> MapsParser.parse(text + "\n", "maps"),
                    text);
            assertEquals(1, e.lineNumber(), text);
        }
    }

    @Test
    void isAddressLineRecognisesOnlyTheHeader() {
        byte[] a = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0".getBytes();
        assertTrue(MapsParser.isAddressLine(a, 0, a.length));
        byte[] k = "Rss:                   8 kB".getBytes();
        assertFalse(MapsParser.isAddressLine(k, 0, k.length));
        byte[] odd = "AbcDef-01 rw-p".getBytes(); // a key that happens to be hex must still have a range and perms
        assertTrue(MapsParser.isAddressLine(odd, 0, odd.length));
        byte[] key = "Abc: 1 kB".getBytes();
        assertFalse(MapsParser.isAddressLine(key, 0, key.length));
    }
}
