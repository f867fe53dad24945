package dev.inspector.core.json;

import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.ProcessInfo;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.model.VmFlags;
import dev.inspector.core.procfs.parse.MapsParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: a realistic {@link Snapshot} of a live process built from its real /proc files (smaps, stat, status,
 * limits, task/, pagemap for /proc/self), with a deliberately simple classification. The real builder lives elsewhere;
 * this one exists so the JSON, schema, diff and timeline tests run on what the kernel actually reports.
 */
public final class RealSnapshots {

    private RealSnapshots() {
    }

    public static int selfPid() {
        return (int) ProcessHandle.current().pid();
    }

    /** A snapshot of this JVM with smaps figures and, when {@code pages}, per-page runs for small regions. */
    public static Snapshot self(boolean pages) {
        return of(selfPid(), pages);
    }

    public static Snapshot of(int pid, boolean pages) {
        Path dir = Paths.get("/proc", Integer.toString(pid));
        Instant at = Instant.now();
        HostInfo host = host();
        ProcessInfo process = process(dir, pid);
        List<Region> regions = regions(dir, process.exe(), host.pageSize(), pages);
        List<ThreadInfo> threads = threads(dir);
        return new Snapshot(Snapshot.SCHEMA_VERSION, "0.1.0-test", at, host, process, regions, threads,
                bases(regions, process.exe(), host.randomizeVaSpace()), kernel(host.pagingLevels()),
                smapsBlocks(read(dir.resolve("smaps_rollup"))).values().iterator().next());
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HostInfo host() {
        String release = read(Paths.get("/proc/sys/kernel/osrelease")).trim();
        int rva = Integer.parseInt(read(Paths.get("/proc/sys/kernel/randomize_va_space")).trim());
        boolean la57 = read(Paths.get("/proc/cpuinfo")).contains(" la57");
        String thp = null;
        Path thpFile = Paths.get("/sys/kernel/mm/transparent_hugepage/enabled");
        if (Files.exists(thpFile)) {
            String t = read(thpFile);
            thp = t.substring(t.indexOf('[') + 1, t.indexOf(']'));
        }
        int levels = la57 ? 5 : 4;
        long highest = la57 ? (1L << 56) - 4096 : (1L << 47) - 4096;
        boolean kpf = Files.isReadable(Paths.get("/proc/kpageflags"));
        return new HostInfo(release, pageSize(), levels, highest, rva, thp,
                new HostInfo.Features(false, false, false, kpf, kpf, true));
    }

    static int pageSize() {
        for (String line : read(Paths.get("/proc/self/smaps_rollup")).split("\n")) {
            if (line.startsWith("KernelPageSize:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 4096; // smaps_rollup has no KernelPageSize line; x86-64 base pages are 4 KiB.
    }

    static ProcessInfo process(Path dir, int pid) {
        String stat = read(dir.resolve("stat"));
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String comm = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field N is f[N - 3].
        String state = f[0];
        long minflt = Long.parseLong(f[10 - 3]);
        long majflt = Long.parseLong(f[12 - 3]);
        int threads = Integer.parseInt(f[20 - 3]);
        long start = Long.parseLong(f[22 - 3]);
        Map<String, Long> mem = new LinkedHashMap<>();
        int uid = -1;
        for (String line : read(dir.resolve("status")).split("\n")) {
            if ((line.startsWith("Vm") || line.startsWith("Rss")) && line.endsWith(" kB")) {
                String key = line.substring(0, line.indexOf(':'));
                long kb = Long.parseLong(line.substring(line.indexOf(':') + 1, line.length() - 3).trim());
                mem.put(key, kb * 1024);
            } else if (line.startsWith("Uid:")) {
                uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        List<String> cmdline = new ArrayList<>();
        for (String a : read(dir.resolve("cmdline")).split("\0")) {
            cmdline.add(a);
        }
        String exe;
        try {
            exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
        } catch (IOException e) {
            exe = null;
        }
        long soft = -1;
        long hard = -1;
        for (String line : read(dir.resolve("limits")).split("\n")) {
            if (line.startsWith("Max stack size")) {
                String[] w = line.substring("Max stack size".length()).trim().split("\\s+");
                soft = w[0].equals("unlimited") ? -1 : Long.parseLong(w[0]);
                hard = w[1].equals("unlimited") ? -1 : Long.parseLong(w[1]);
            }
        }
        return new ProcessInfo(pid, start, comm, cmdline, exe, uid, state, minflt, majflt, threads, mem, soft, hard);
    }

    /** smaps records keyed by start address, in order; for smaps_rollup the single record. */
    static Map<Long, Smaps> smapsBlocks(String text) {
        Map<Long, Smaps> out = new LinkedHashMap<>();
        Long current = null;
        Map<String, Long> bytes = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        VmFlags flags = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            if (MapsParser.isAddressLine(b, 0, b.length)) {
                if (current != null) {
                    out.put(current, new Smaps(bytes, values, flags));
                }
                current = MapsParser.parseLine(line).start();
                bytes = new LinkedHashMap<>();
                values = new LinkedHashMap<>();
                flags = null;
                continue;
            }
            int colon = line.indexOf(':');
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (key.equals("VmFlags")) {
                List<VmFlags.Flag> list = new ArrayList<>();
                for (String code : value.split(" ")) {
                    list.add(new VmFlags.Flag(code, code.equals("rd") ? "readable" : code.equals("wr") ? "writeable" : null));
                }
                flags = new VmFlags(value, list);
            } else if (value.endsWith(" kB")) {
                bytes.put(key, Long.parseLong(value.substring(0, value.length() - 3).trim()) * 1024);
            } else {
                values.put(key, value);
            }
        }
        if (current != null) {
            out.put(current, new Smaps(bytes, values, flags));
        }
        return out;
    }

    static List<Region> regions(Path dir, String exe, int pageSize, boolean pages) {
        String text = read(dir.resolve("smaps"));
        Map<Long, Smaps> smaps = smapsBlocks(text);
        List<Region> out = new ArrayList<>();
        int withPages = 0;
        for (String line : text.split("\n")) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            if (line.isEmpty() || !MapsParser.isAddressLine(b, 0, b.length)) {
                continue;
            }
            Mapping m = MapsParser.parseLine(line);
            Region r = new Region(m, kind(m), m.path().isFile() ? m.path().name() : null, List.of(),
                    "test classification from the maps path", null).withSmaps(smaps.get(m.start()));
            boolean wantPages = pages && dir.getFileName().toString().equals(Integer.toString(selfPid()))
                    && (m.path().type() == MappingPath.Type.STACK || (withPages < 20 && m.size() <= 256L * pageSize
                    && m.perms().read() && m.path().type() != MappingPath.Type.VSYSCALL));
            if (wantPages) {
                List<PageRun> runs = pagemapRuns(dir, m, pageSize);
                r = r.withResidency(residency(runs, m.size() / pageSize), runs);
                withPages++;
            }
            out.add(r);
        }
        return out;
    }

    static RegionKind kind(Mapping m) {
        switch (m.path().type()) {
            case FILE:
                return m.perms().exec() ? RegionKind.TEXT : RegionKind.FILE;
            case HEAP:
                return RegionKind.HEAP;
            case STACK:
                return RegionKind.STACK;
            case VDSO:
                return RegionKind.VDSO;
            case VVAR:
                return RegionKind.VVAR;
            case VVAR_VCLOCK:
                return RegionKind.VVAR_VCLOCK;
            case VSYSCALL:
                return RegionKind.VSYSCALL;
            case ANON_NAMED:
                return RegionKind.NAMED_ANONYMOUS;
            case SHMEM_NAMED:
                return RegionKind.SHARED_ANONYMOUS;
            case ANONYMOUS:
                return m.perms().none() ? RegionKind.RESERVED : RegionKind.ANONYMOUS;
            default:
                return RegionKind.OTHER;
        }
    }

    /** Run-length encoded pagemap entries of one mapping (bits per Documentation/admin-guide/mm/pagemap.rst). */
    static List<PageRun> pagemapRuns(Path dir, Mapping m, int pageSize) {
        long n = m.size() / pageSize;
        ByteBuffer buf = ByteBuffer.allocate((int) (n * 8)).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(dir.resolve("pagemap"), StandardOpenOption.READ)) {
            long pos = (m.start() / pageSize) * 8;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.flip();
        List<PageRun> runs = new ArrayList<>();
        long first = 0;
        int flags = -1;
        long pfn = -1;
        long count = 0;
        for (long i = 0; i < n; i++) {
            long e = buf.getLong();
            int f = ((e >>> 63) & 1) != 0 ? PageRun.PRESENT : 0;
            f |= ((e >>> 62) & 1) != 0 ? PageRun.SWAPPED : 0;
            f |= ((e >>> 61) & 1) != 0 ? PageRun.FILE : 0;
            f |= ((e >>> 56) & 1) != 0 ? PageRun.EXCLUSIVE : 0;
            f |= ((e >>> 55) & 1) != 0 ? PageRun.SOFT_DIRTY : 0;
            long p = (f & PageRun.PRESENT) != 0 ? e & ((1L << 55) - 1) : -1;
            if (p == 0) {
                p = -1; // frames are hidden from non-root readers (reported as 0)
            }
            boolean continues = count > 0 && f == flags
                    && ((pfn == -1 && p == -1) || (pfn != -1 && p == pfn + count));
            if (!continues) {
                if (count > 0) {
                    runs.add(new PageRun(first, count, flags, pfn));
                }
                first = i;
                flags = f;
                pfn = p;
                count = 0;
            }
            count++;
        }
        if (count > 0) {
            runs.add(new PageRun(first, count, flags, pfn));
        }
        return runs;
    }

    static Residency residency(List<PageRun> runs, long pages) {
        long present = 0;
        long swapped = 0;
        long file = 0;
        long excl = 0;
        long sd = 0;
        for (PageRun r : runs) {
            present += (r.flags() & PageRun.PRESENT) != 0 ? r.count() : 0;
            swapped += (r.flags() & PageRun.SWAPPED) != 0 ? r.count() : 0;
            file += (r.flags() & PageRun.FILE) != 0 ? r.count() : 0;
            excl += (r.flags() & PageRun.EXCLUSIVE) != 0 ? r.count() : 0;
            sd += (r.flags() & PageRun.SOFT_DIRTY) != 0 ? r.count() : 0;
        }
        return new Residency(pages, present, swapped, pages - present - swapped, 0, 0, file, excl, sd, "pagemap");
    }

    static List<ThreadInfo> threads(Path dir) {
        List<ThreadInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("task"))) {
            for (Path t : ds) {
                String stat;
                try {
                    stat = read(t.resolve("stat"));
                } catch (UncheckedIOException e) {
                    continue; // the thread exited while we listed
                }
                int close = stat.lastIndexOf(')');
                String[] f = stat.substring(close + 2).trim().split(" ");
                out.add(new ThreadInfo(Integer.parseInt(t.getFileName().toString()),
                        stat.substring(stat.indexOf('(') + 1, close), f[0], null, null, null,
                        Long.parseLong(f[7]), Long.parseLong(f[9])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> Integer.compare(a.tid(), b.tid()));
        return out;
    }

    static AslrBases bases(List<Region> regions, String exe, int rva) {
        Long exeBase = null;
        Long heapStart = null;
        Long brk = null;
        Long stackTop = null;
        Long vdso = null;
        for (Region r : regions) {
            Mapping m = r.mapping();
            if (exeBase == null && exe != null && m.path().isFile() && m.path().name().equals(exe)) {
                exeBase = m.start() - m.offset();
            }
            switch (m.path().type()) {
                case HEAP:
                    heapStart = m.start();
                    brk = m.end();
                    break;
                case STACK:
                    stackTop = m.end();
                    break;
                case VDSO:
                    vdso = m.start();
                    break;
                default:
                    break;
            }
        }
        return new AslrBases(exeBase, heapStart, brk, stackTop, null, vdso, rva, false);
    }

    static KernelLayout kernel(int levels) {
        List<KernelRegion> regions = List.of(
                new KernelRegion("direct mapping", 0xffff888000000000L, 0xffffc87fffffffffL + 1,
                        "page_offset_base: all physical memory", null),
                new KernelRegion("kernel text", 0xffffffff80000000L, 0xffffffffa0000000L, "kernel text mapping",
                        null),
                new KernelRegion("vsyscall", 0xffffffffff600000L, 0xffffffffff601000L, "legacy vsyscall ABI",
                        "mapped --xp in every process"));
        return new KernelLayout(levels, regions, null, null, "test: not probed", List.of(
                new KernelLayout.RamRange(0x100000L, 0xbfffffffL + 1, "System RAM")));
    }
}
