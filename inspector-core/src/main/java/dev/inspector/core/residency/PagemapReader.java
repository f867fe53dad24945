package dev.inspector.core.residency;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;
import dev.inspector.core.model.KernelFeatures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fallback path, and the only one that sees frames: positional, 8-byte-aligned reads of {@code /proc/PID/pagemap}
 * over mapped ranges only, through one reused direct buffer (64 Ki entries = 512 KiB per read by default, as the C
 * reference reader), copied in bulk to a reused {@code long[]}. No allocation per page. Zero-page detection compares
 * each present page's PFN with the zero page's PFN, learned from our own process; without CAP_SYS_ADMIN both are
 * hidden and zero-page counts are unknown (-1) on this path.
 *
 * <p>{@link #residency} does not decode every entry: an entry equal to the one its predecessor predicts (the same
 * word for untouched, swapped or zero pages, the next PFN for a present page) continues the current piece, so the
 * {@link Tally} sees one piece per run instead of one call per page. {@code bench pages} (9 GiB, C1 JIT) measured the
 * per-page visitor with 8 Ki-entry reads at 3.9x the C reference reader's time, and this at 1.1x; docs/perf/pages.md.
 */
public final class PagemapReader implements AutoCloseable {

    public static final int DEFAULT_ENTRIES = 64 * 1024;
    private static final int PAGE_SHIFT = 12;

    /** Receives pagemap entries in address order. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(long page, long raw);
    }

    private final ProcFs procFs;
    private final int pid;
    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf;
    private final LongBuffer longs;
    private final long[] words;
    private final int entries;
    private final boolean pfnsVisible;
    private final long zeroPfn;
    /** The kernel maps no shared zero page here: no page is on it, so the zero count is known to be 0. */
    private final boolean noZeroPage;
    private final boolean softDirty;

    public PagemapReader(ProcFs procFs, int pid, KernelFeatures features) {
        this(procFs, pid, features, DEFAULT_ENTRIES);
    }

    public PagemapReader(ProcFs procFs, int pid, KernelFeatures features, int bufferEntries) {
        if (bufferEntries < 1) {
            throw new IllegalArgumentException("buffer must hold at least one entry");
        }
        this.procFs = procFs;
        this.pid = pid;
        this.path = procFs.memDir(pid).resolve("pagemap");
        this.entries = bufferEntries;
        this.buf = ByteBuffer.allocateDirect(bufferEntries * 8).order(ByteOrder.nativeOrder());
        this.longs = buf.asLongBuffer();
        this.words = new long[bufferEntries];
        this.pfnsVisible = features.pfnsVisible().available();
        this.zeroPfn = features.pfnsVisible().available() ? features.zeroPfn() : -1;
        this.noZeroPage = features.noZeroPage();
        this.softDirty = features.softDirty().available();
        try {
            this.ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw procFs.translate(e, path, pid);
        }
    }

    /** Whether this reader sees frame numbers. */
    public PfnState pfnState() {
        return pfnsVisible ? PfnState.KNOWN : PfnState.HIDDEN;
    }

    /** PageRun flags this path observes. */
    public int knownFlags() {
        return PageRun.PRESENT | PageRun.SWAPPED | PageRun.FILE | PageRun.EXCLUSIVE
                | (zeroPfn >= 0 || noZeroPage ? PageRun.ZERO : 0) | (softDirty ? PageRun.SOFT_DIRTY : 0);
    }

    /** Visits the entries of [start, end) (page-aligned), reading up to the buffer size at a time. */
    public void forEach(long start, long end, EntryVisitor v) {
        long page = start >>> PAGE_SHIFT;
        long last = end >>> PAGE_SHIFT;
        while (page < last) {
            int n = (int) Math.min(entries, last - page);
            fill(page, n);
            for (int i = 0; i < n; i++) {
                v.entry(page + i, words[i]);
            }
            page += n;
        }
    }

    /** Reads the entries of pages [page, page + n) into {@code words[0..n)}. */
    private void fill(long page, int n) {
        buf.clear().limit(n * 8);
        long pos = page * 8;
        try {
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r <= 0) {
                    throw procFs.shortRead(path, pid, "no entry for page 0x"
                            + Long.toHexString((page + buf.position() / 8) << PAGE_SHIFT)
                            + " (beyond the task's address space?)");
                }
            }
        } catch (IOException e) {
            throw procFs.translate(e, path, pid);
        }
        longs.get(0, words, 0, n);
    }

    /** The raw entry of one address. */
    public long rawEntry(long addr) {
        fill(addr >>> PAGE_SHIFT, 1);
        return words[0];
    }

    public PagemapEntry entry(long addr) {
        return PagemapEntry.of(rawEntry(addr), pfnsVisible);
    }

    /** One page in full; {@code kpages} may be null (then no frame flags are looked up). */
    public PageInfo page(long addr, KPages kpages) {
        PagemapEntry e = entry(addr);
        if (kpages != null && e.frame() == PagemapEntry.Frame.KNOWN && e.present()) {
            long[] f = new long[1];
            long[] c = new long[1];
            kpages.read(e.pfn(), 1, f, c);
            return new PageInfo(addr, e, new KPageFlags(f[0]), c[0]);
        }
        return new PageInfo(addr, e, null, -1);
    }

    /** PageRun flags of one raw entry as this path sees it. */
    int flagsOf(long raw) {
        int f = 0;
        boolean present = PagemapEntry.isPresent(raw);
        if (present) {
            f |= PageRun.PRESENT;
            if (zeroPfn >= 0 && (raw & PagemapEntry.PFN_MASK) == zeroPfn) {
                f |= PageRun.ZERO;
            }
        }
        if ((raw & (1L << PagemapEntry.BIT_SWAPPED)) != 0) {
            f |= PageRun.SWAPPED;
        }
        if ((raw & (1L << PagemapEntry.BIT_FILE)) != 0) {
            f |= PageRun.FILE;
        }
        if ((raw & (1L << PagemapEntry.BIT_EXCLUSIVE)) != 0) {
            f |= PageRun.EXCLUSIVE;
        }
        if (softDirty && (raw & (1L << PagemapEntry.BIT_SOFT_DIRTY)) != 0) {
            f |= PageRun.SOFT_DIRTY;
        }
        return f;
    }

    /**
     * Residency of one mapping. {@code kpages} non-null adds the kpageflags/kpagecount summary of its present frames
     * (needs visible PFNs), read one physically contiguous run at a time.
     */
    public MappingResidency residency(Mapping m, boolean keepRuns, HeatMap heat, KPages kpages) {
        Tally t = new Tally(m, PAGE_SHIFT, keepRuns, heat);
        KPageRun kp = kpages != null && pfnsVisible ? new KPageRun(kpages) : null;
        long page = m.start() >>> PAGE_SHIFT;
        long last = m.end() >>> PAGE_SHIFT;
        // The open piece starts at pStart with pFlags and first frame pPfn; `expect` is the entry the next page must
        // have to continue it, `step` what expect grows by per page (1 for consecutive frames, else 0).
        boolean open = false;
        long pStart = page;
        int pFlags = 0;
        long pPfn = -1;
        long expect = 0;
        long step = 0;
        while (page < last) {
            int n = (int) Math.min(entries, last - page);
            fill(page, n);
            long[] w = words;
            int i = 0;
            while (i < n) {
                if (open) {
                    long e = expect;
                    while (i < n && w[i] == e) {
                        e += step;
                        i++;
                    }
                    expect = e;
                    if (i == n) {
                        break;
                    }
                    emit(t, kp, pStart, page + i - pStart, pFlags, pPfn);
                }
                long raw = w[i];
                int flags = flagsOf(raw);
                boolean present = (flags & PageRun.PRESENT) != 0;
                open = true;
                pStart = page + i;
                pFlags = flags;
                pPfn = pfnsVisible && present ? raw & PagemapEntry.PFN_MASK : -1;
                // A present page's successor continues the piece when its frame is the next one, with the same bits
                // (all zero-page entries share one frame; hidden PFNs read as 0); anything else must repeat the word.
                step = present && pfnsVisible && (flags & PageRun.ZERO) == 0 ? 1 : 0;
                expect = raw + step;
                i++;
            }
            page += n;
        }
        if (open) {
            emit(t, kp, pStart, last - pStart, pFlags, pPfn);
        }
        return t.finish(ScanPath.PAGEMAP, knownFlags(), pfnState(), kp == null ? null : kp.finish());
    }

    private static void emit(Tally t, KPageRun kp, long page, long count, int flags, long pfn) {
        t.add(page, count, flags, pfn);
        if (kp != null && pfn >= 0) {
            boolean zero = (flags & PageRun.ZERO) != 0;
            for (long j = 0; j < count; j++) {
                kp.add(zero ? pfn : pfn + j);
            }
        }
    }

    /** Batches frame look-ups: consecutive PFNs are read together. */
    private static final class KPageRun {
        private final KPages kpages;
        private final KPageSummary.Builder summary = new KPageSummary.Builder();
        private final long[] flags = new long[KPages.BATCH];
        private final long[] counts = new long[KPages.BATCH];
        private long start = -1;
        private int len;

        KPageRun(KPages kpages) {
            this.kpages = kpages;
        }

        void add(long pfn) {
            if (len > 0 && pfn == start + len && len < KPages.BATCH) {
                len++;
                return;
            }
            flush();
            start = pfn;
            len = 1;
        }

        private void flush() {
            if (len == 0) {
                return;
            }
            kpages.read(start, len, flags, counts);
            for (int i = 0; i < len; i++) {
                summary.add(flags[i], counts[i]);
            }
            len = 0;
        }

        KPageSummary finish() {
            flush();
            return summary.build();
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only proc file
        }
    }
}
