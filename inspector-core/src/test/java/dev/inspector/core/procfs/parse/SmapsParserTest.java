package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmapsParserTest {

    static final String TWO_RECORDS = MapsParserTest.padded(
            "562d589a1000-562d589a3000 r--p 00000000 fe:00 260131", "/usr/bin/cat") + "\n"
            + "Size:                  8 kB\n"
            + "KernelPageSize:        4 kB\n"
            + "Rss:                   8 kB\n"
            + "Pss:                   5 kB\n"
            + "Pss_Dirty:             0 kB\n"
            + "FutureField:          12 kB\n"
            + "THPeligible:           0\n"
            + "ProtectionKey:         0\n"
            + "VmFlags: rd mr mw me zz \n"
            + MapsParserTest.padded("7ffe69775000-7ffe69796000 rw-p 00000000 00:00 0", "[stack]") + "\n"
            + "Size:                132 kB\n"
            + "Rss:                  16 kB\n"
            + "Anonymous:            16 kB\n"
            + "VmFlags: rd wr mr mw me gd ac \n";

    @Test
    void fieldsInBytesInKernelOrderWithUnknownKeysKept() {
        List<SmapsRecord> rs = parse(TWO_RECORDS);
        assertEquals(2, rs.size());
        Smaps s = rs.get(0).smaps();
        assertEquals(List.of("Size", "KernelPageSize", "Rss", "Pss", "Pss_Dirty", "FutureField"),
                new ArrayList<>(s.bytes().keySet()));
        assertEquals(8 * 1024, s.get("Size"));
        assertEquals(5 * 1024, s.pss());
        assertEquals(12 * 1024, s.get("FutureField"));
        assertEquals("0", s.values().get("THPeligible"));
        assertEquals("0", s.values().get("ProtectionKey"));
        assertEquals("rd mr mw me zz", s.vmFlags().raw());
        assertEquals("readable", s.vmFlags().flags().get(0).meaning());
        assertEquals("zz", s.vmFlags().flags().get(4).code());
        assertNull(s.vmFlags().flags().get(4).meaning());
        assertEquals("/usr/bin/cat", rs.get(0).mapping().path().name());
        SmapsRecord stack = rs.get(1);
        assertEquals(MappingPath.STACK, stack.mapping().path());
        assertTrue(stack.smaps().vmFlags().has("gd"));
        assertEquals("stack segment grows down", VmFlagsDecoder.meaning("gd"));
    }

    @Test
    void recordsAreFoundByTheirAddressLineNotByCapitalLetters() {
        // A lower-case key and a key that looks hex must both stay inside the record.
        String text = "1000-2000 rw-p 00000000 00:00 0\nlowercase:  4 kB\nAbc:  4 kB\n";
        List<SmapsRecord> rs = parse(text);
        assertEquals(1, rs.size());
        assertEquals(4096, rs.get(0).smaps().get("lowercase"));
        assertEquals(4096, rs.get(0).smaps().get("Abc"));
    }

    @Test
    void chunkBoundariesAnywhereGiveTheSameRecords() throws IOException {
        byte[] b = TWO_RECORDS.getBytes(StandardCharsets.UTF_8);
        List<SmapsRecord> whole = SmapsParser.parse(b, b.length, "smaps");
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            List<SmapsRecord> out = new ArrayList<>();
            SmapsParser p = new SmapsParser("smaps", out::add);
            int i = 0;
            while (i < b.length) {
                int n = Math.min(b.length - i, 1 + rnd.nextInt(round % 5 == 0 ? 2 : 40));
                p.feed(b, i, n);
                i += n;
            }
            p.finish();
            assertEquals(whole, out);
        }
        List<SmapsRecord> viaStream = new ArrayList<>();
        SmapsParser.parse(new ByteArrayInputStream(b), "smaps", viaStream::add);
        assertEquals(whole, viaStream);
    }

    @Test
    void garbageIsMalformed() {
        assertThrows(MalformedProcFile.class, () -> parse("Rss: 4 kB\n"));
        assertThrows(MalformedProcFile.class, () -> parse("1000-2000 rw-p 00000000 00:00 0\nno colon here\n"));
        assertThrows(MalformedProcFile.class, () -> parse("1000-2000 rw-p 00000000 00:00 0\nRss: x kB\n"));
        assertThrows(MalformedProcFile.class, () -> parse("1000-2000 rw-p 00000000 00:00 0\nRss: 1 kB\nRss: 1 kB\n"));
        MalformedProcFile e = assertThrows(MalformedProcFile.class,
                () -> parse("1000-2000 rw-p 00000000 00:00 0\nRss: 99999999999999999999 kB\n"));
        assertEquals(2, e.lineNumber());
    }

    @Test
    void sixtyThousandRecordsStreamWithoutHoldingTheText() throws IOException {
        // ~43 MB generated on the fly: the parser only ever sees 64 KiB chunks.
        int records = 60_000;
        // The figures of record r are all r % 5 kB: five field blocks, formatted once (String.format per field would
        // make this test spend seconds generating text instead of parsing it).
        String[] blocks = new String[5];
        for (int v = 0; v < 5; v++) {
            StringBuilder sb = new StringBuilder(700);
            for (String k : new String[] {"Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty",
                    "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced",
                    "Anonymous", "KSM", "LazyFree", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped",
                    "Shared_Hugetlb", "Private_Hugetlb", "Swap", "SwapPss", "Locked"}) {
                sb.append(String.format("%-15s %8d kB\n", k + ":", v));
            }
            blocks[v] = sb.append("THPeligible:           0\nVmFlags: rd wr mr mw me ac \n").toString();
        }
        InputStream gen = new InputStream() {
            int rec;
            byte[] cur = new byte[0];
            int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == cur.length) {
                    if (rec == records) {
                        return -1;
                    }
                    long start = 0x7f0000000000L + rec * 0x2000L;
                    StringBuilder sb = new StringBuilder(720);
                    sb.append(MapsParserTest.padded(Long.toHexString(start) + "-" + Long.toHexString(start + 0x1000)
                            + " rw-p 00000000 00:00 0", rec % 3 == 0 ? "" : "/usr/lib/lib" + (rec % 7) + ".so"))
                            .append('\n').append(blocks[rec % 5]);
                    cur = sb.toString().getBytes(StandardCharsets.US_ASCII);
                    pos = 0;
                    rec++;
                }
                int n = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        long[] count = {0};
        long[] rssSum = {0};
        SmapsParser.parse(gen, "generated", r -> {
            count[0]++;
            rssSum[0] += r.smaps().rss();
        });
        assertEquals(records, count[0]);
        long expected = 0;
        for (int rec = 0; rec < records; rec++) {
            expected += (rec % 5) * 1024L;
        }
        assertEquals(expected, rssSum[0]);
    }

    @Test
    void capturedSmapsAgreesWithCapturedMaps() throws IOException {
        for (String name : new String[] {"tricky", "sleep"}) {
            Path dir = Fixtures.pidDir(name);
            byte[] smaps = Files.readAllBytes(dir.resolve("smaps"));
            byte[] maps = Files.readAllBytes(dir.resolve("maps"));
            List<SmapsRecord> rs = SmapsParser.parse(smaps, smaps.length, name + "/smaps");
            var ms = MapsParser.parse(maps, maps.length, name + "/maps");
            assertEquals(ms.size(), rs.size(), name);
            for (int i = 0; i < ms.size(); i++) {
                assertEquals(ms.get(i), rs.get(i).mapping(), name + " record " + i);
                Smaps s = rs.get(i).smaps();
                assertEquals(ms.get(i).size(), s.get("Size"), "Size is the mapping's length");
                assertTrue(s.vmFlags() != null && !s.vmFlags().flags().isEmpty());
                assertFalse(s.has("VmFlags") && s.bytes().containsKey("VmFlags"));
            }
        }
    }

    private static List<SmapsRecord> parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return SmapsParser.parse(b, b.length, "smaps");
    }
}
