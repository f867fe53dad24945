package dev.inspector.core.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel read directly, for tests: its own small parsing of /proc/PID/maps, smaps, stat, limits, raw pagemap
 * entries, /proc/PID/mem and /proc/kpagecount, with none of the inspector's readers involved. Tests compare the demo
 * runner's evidence and verdicts with what this shows at the same stop.
 */
final class Oracle {

    static final long PRESENT = 1L << 63;
    static final long FILE = 1L << 61;
    static final long EXCLUSIVE = 1L << 56;
    static final long PFN = (1L << 55) - 1;
    static final long PAGE = 4096;

    private Oracle() {
    }

    /** One maps line: start, end (exclusive), perms, inode, path ("" for none). */
    record Line(long start, long end, String perms, long inode, String path) {
        boolean contains(long a) {
            return Long.compareUnsigned(a, start) >= 0 && Long.compareUnsigned(a, end) < 0;
        }

        long size() {
            return end - start;
        }
    }

    static String read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(1 << 22), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path proc(int pid, String file) {
        return Paths.get("/proc", Integer.toString(pid), file);
    }

    static List<Line> maps(int pid) {
        List<Line> out = new ArrayList<>();
        for (String l : read(proc(pid, "maps")).split("\n")) {
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split(" +", 6);
            int dash = f[0].indexOf('-');
            out.add(new Line(Long.parseUnsignedLong(f[0].substring(0, dash), 16),
                    Long.parseUnsignedLong(f[0].substring(dash + 1), 16), f[1], Long.parseLong(f[4]),
                    f.length > 5 ? f[5].strip() : ""));
        }
        return out;
    }

    static Line at(int pid, long addr) {
        for (Line l : maps(pid)) {
            if (l.contains(addr)) {
                return l;
            }
        }
        return null;
    }

    static Line named(int pid, String path) {
        for (Line l : maps(pid)) {
            if (l.path().equals(path)) {
                return l;
            }
        }
        return null;
    }

    /** Raw pagemap entries of {@code n} pages from the page holding {@code addr}. */
    static long[] pagemap(int pid, long addr, int n) {
        long[] out = new long[n];
        ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(proc(pid, "pagemap"), StandardOpenOption.READ)) {
            long pos = (addr / PAGE) * 8;
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.flip();
        b.asLongBuffer().get(out);
        return out;
    }

    static long entry(int pid, long addr) {
        return pagemap(pid, addr, 1)[0];
    }

    /** Present pages among those a range touches. */
    static long present(int pid, SampleStep.Range r) {
        long lo = r.lo() & -PAGE;
        int n = (int) (((r.hi() + PAGE - 1) & -PAGE) - lo) / (int) PAGE;
        long c = 0;
        for (long e : pagemap(pid, lo, n)) {
            c += (e & PRESENT) != 0 ? 1 : 0;
        }
        return c;
    }

    static long pages(SampleStep.Range r) {
        return (((r.hi() + PAGE - 1) & -PAGE) - (r.lo() & -PAGE)) / PAGE;
    }

    static long pfn(long entry) {
        return (entry & PRESENT) == 0 ? -1 : entry & PFN;
    }

    /** stat field 10 (minflt) or 12 (majflt), counted after the comm's closing parenthesis. */
    static long statField(int pid, int field) {
        String s = read(proc(pid, "stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[field - 3]);
    }

    /** A field of the smaps record of the mapping holding {@code addr}, in kB (or as written without unit). */
    static long smaps(int pid, long addr, String field) {
        boolean in = false;
        for (String l : read(proc(pid, "smaps")).split("\n")) {
            if (l.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                int dash = l.indexOf('-');
                int sp = l.indexOf(' ');
                long s = Long.parseUnsignedLong(l.substring(0, dash), 16);
                long e = Long.parseUnsignedLong(l.substring(dash + 1, sp), 16);
                in = Long.compareUnsigned(addr, s) >= 0 && Long.compareUnsigned(addr, e) < 0;
            } else if (in && l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).strip().split(" +")[0]);
            }
        }
        throw new AssertionError("no " + field + " for 0x" + Long.toHexString(addr));
    }

    /** A status line's number (kB for the Vm lines). */
    static long status(int pid, String field) {
        for (String l : read(proc(pid, "status")).split("\n")) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).strip().split(" +")[0]);
            }
        }
        return -1;
    }

    /** Bytes of a process's memory through /proc/PID/mem (root, or the same user without Yama restrictions). */
    static byte[] mem(int pid, long addr, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(proc(pid, "mem"), StandardOpenOption.READ)) {
            ch.read(b, addr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.array();
    }

    static String word(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    static long kpagecount(long pfn) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(Paths.get("/proc/kpagecount"), StandardOpenOption.READ)) {
            ch.read(b, pfn * 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.getLong(0);
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static long sysctl(String path) {
        return Long.parseLong(read(Paths.get(path)).strip());
    }
}
