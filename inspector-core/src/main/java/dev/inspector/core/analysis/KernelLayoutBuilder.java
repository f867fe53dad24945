package dev.inspector.core.analysis;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelLayout.RamRange;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.Words;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The x86-64 kernel half as documented in the kernel's Documentation/arch/x86/x86_64/mm.rst ("Complete virtual memory
 * map with 4-level / 5-level page tables"), annotated with what this host shows: the kernel text address from
 * /proc/kallsyms ({@code _text}), whether KASLR is in effect and why we think so, "nokaslr" on the command line,
 * whether {@code [vsyscall]} is mapped, and the System RAM ranges from /proc/iomem.
 *
 * <p>Region ends are inclusive (the last address), as mm.rst prints them: the top region ends at 2^64 - 1.
 * Non-root readers see zero addresses in kallsyms (kptr_restrict) and iomem; that is reported, never guessed around.
 */
public final class KernelLayoutBuilder {

    /**
     * Where the kernel text lands without KASLR: __START_KERNEL_map (0xffffffff80000000) + CONFIG_PHYSICAL_START
     * (default 0x1000000).
     */
    public static final long DEFAULT_KERNEL_TEXT = 0xffffffff81000000L;

    public static final String NOT_VISIBLE = "not visible from user space";

    private final ProcFs procFs;

    public KernelLayoutBuilder(ProcFs procFs) {
        this.procFs = procFs;
    }

    // ---- the documented table ------------------------------------------------------------------------------------

    /** The documented kernel-half regions for 4- or 5-level paging, lowest first, with empty observations. */
    public static List<KernelRegion> documented(int pagingLevels) {
        List<KernelRegion> r = new ArrayList<>();
        if (pagingLevels == 4) {
            add(r, "guard hole", 0xffff800000000000L, 0xffff87ffffffffffL, "guard hole, also reserved for hypervisor");
            add(r, "LDT remap", 0xffff880000000000L, 0xffff887fffffffffL, "LDT remap for PTI");
            add(r, "direct map", 0xffff888000000000L, 0xffffc87fffffffffL,
                    "direct mapping of all physical memory (page_offset_base)");
            add(r, "unused hole", 0xffffc88000000000L, 0xffffc8ffffffffffL, "unused hole");
            add(r, "vmalloc/ioremap", 0xffffc90000000000L, 0xffffe8ffffffffffL,
                    "vmalloc/ioremap space (vmalloc_base)");
            add(r, "unused hole", 0xffffe90000000000L, 0xffffe9ffffffffffL, "unused hole");
            add(r, "vmemmap", 0xffffea0000000000L, 0xffffeaffffffffffL, "virtual memory map (vmemmap_base)");
            add(r, "unused hole", 0xffffeb0000000000L, 0xffffebffffffffffL, "unused hole");
            add(r, "KASAN shadow", 0xffffec0000000000L, 0xfffffbffffffffffL, "KASAN shadow memory");
        } else if (pagingLevels == 5) {
            add(r, "guard hole", 0xff00000000000000L, 0xff0fffffffffffffL, "guard hole, also reserved for hypervisor");
            add(r, "LDT remap", 0xff10000000000000L, 0xff10ffffffffffffL, "LDT remap for PTI");
            add(r, "direct map", 0xff11000000000000L, 0xff90ffffffffffffL,
                    "direct mapping of all physical memory (page_offset_base)");
            add(r, "unused hole", 0xff91000000000000L, 0xff9fffffffffffffL, "unused hole");
            add(r, "vmalloc/ioremap", 0xffa0000000000000L, 0xffd1ffffffffffffL,
                    "vmalloc/ioremap space (vmalloc_base)");
            add(r, "unused hole", 0xffd2000000000000L, 0xffd3ffffffffffffL, "unused hole");
            add(r, "vmemmap", 0xffd4000000000000L, 0xffd5ffffffffffffL, "virtual memory map (vmemmap_base)");
            add(r, "unused hole", 0xffd6000000000000L, 0xffdeffffffffffffL, "unused hole");
            add(r, "KASAN shadow", 0xffdf000000000000L, 0xfffffbffffffffffL, "KASAN shadow memory");
        } else {
            throw new IllegalArgumentException("x86-64 has 4- or 5-level paging, not " + pagingLevels);
        }
        // Identical for both depths from here on.
        add(r, "unused hole", 0xfffffc0000000000L, 0xfffffdffffffffffL, "unused hole (vaddr_end for KASLR)");
        add(r, "cpu_entry_area", 0xfffffe0000000000L, 0xfffffe7fffffffffL, "cpu_entry_area mapping");
        add(r, "unused hole", 0xfffffe8000000000L, 0xfffffeffffffffffL, "unused hole");
        add(r, "%esp fixup stacks", 0xffffff0000000000L, 0xffffff7fffffffffL, "%esp fixup stacks");
        add(r, "unused hole", 0xffffff8000000000L, 0xffffffeeffffffffL, "unused hole");
        add(r, "EFI region", 0xffffffef00000000L, 0xfffffffeffffffffL,
                "EFI region mapping space (runtime services, in efi_pgd only)");
        add(r, "unused hole", 0xffffffff00000000L, 0xffffffff7fffffffL, "unused hole");
        add(r, "kernel text", 0xffffffff80000000L, 0xffffffff9fffffffL,
                "kernel text mapping, mapped to physical address 0");
        add(r, "modules", 0xffffffffa0000000L, 0xfffffffffeffffffL, "module mapping space");
        add(r, "fixmap", 0xffffffffff000000L, 0xffffffffff5fffffL,
                "kernel-internal fixmap range, variable size and offset: it begins at FIXADDR_START (about -11 MB),"
                        + " above the -16 MB mark shown as its start");
        add(r, "vsyscall", 0xffffffffff600000L, 0xffffffffff600fffL, "legacy vsyscall ABI");
        add(r, "unused hole", 0xffffffffffe00000L, 0xffffffffffffffffL, "unused hole");
        return r;
    }

    private static void add(List<KernelRegion> r, String name, long start, long last, String description) {
        r.add(new KernelRegion(name, start, last, description, ""));
    }

    // ---- annotation ---------------------------------------------------------------------------------------------

    /**
     * The documented layout for {@code pagingLevels} annotated from this {@link ProcFs}. {@code maps} are the maps
     * lines of the inspected process (for {@code [vsyscall]}); null when not known.
     */
    public KernelLayout build(int pagingLevels, List<Mapping> maps) {
        Path root = procFs.root();
        TextSymbol text = kernelText(root.resolve("kallsyms"));
        boolean nokaslr = hasNokaslr(readOptional(root.resolve("cmdline")));
        Ram ram = ram(root.resolve("iomem"));
        String modules = modules(root.resolve("modules"));

        Boolean kaslr;
        String evidence;
        if (text.address == null) {
            kaslr = nokaslr ? Boolean.FALSE : null;
            evidence = (nokaslr ? "nokaslr on the kernel command line; " : "unknown: ") + text.note;
        } else if (text.address == DEFAULT_KERNEL_TEXT) {
            kaslr = Boolean.FALSE;
            evidence = "_text at 0x" + Long.toHexString(text.address) + " (/proc/kallsyms) is the unrandomized link"
                    + " address __START_KERNEL_map + CONFIG_PHYSICAL_START" + (nokaslr ? "; nokaslr on the kernel"
                    + " command line" : "");
        } else {
            kaslr = Boolean.TRUE;
            evidence = "_text at 0x" + Long.toHexString(text.address) + " (/proc/kallsyms) is 0x"
                    + Long.toHexString(text.address - DEFAULT_KERNEL_TEXT) + " away from the unrandomized 0x"
                    + Long.toHexString(DEFAULT_KERNEL_TEXT) + (nokaslr ? " although nokaslr is on the command line"
                    + " (CONFIG_PHYSICAL_START changed?)" : "");
        }

        Boolean vsyscall = null;
        if (maps != null) {
            vsyscall = false;
            for (Mapping m : maps) {
                if (m.path().type() == MappingPath.Type.VSYSCALL) {
                    vsyscall = true;
                    break;
                }
            }
        }

        List<KernelRegion> out = new ArrayList<>();
        for (KernelRegion r : documented(pagingLevels)) {
            String observed;
            switch (r.name()) {
                case "kernel text":
                    observed = text.address != null ? "_text at 0x" + Long.toHexString(text.address)
                            + " (/proc/kallsyms)" : text.note;
                    break;
                case "direct map":
                    observed = ram.note + randomizedNote(kaslr);
                    break;
                case "vmalloc/ioremap":
                case "vmemmap":
                    observed = NOT_VISIBLE + randomizedNote(kaslr);
                    break;
                case "vsyscall":
                    observed = vsyscall == null ? "maps not given" : vsyscall
                            ? "[vsyscall] is in the process's maps (the kernel emulates the page)"
                            : "no [vsyscall] line in maps (vsyscall=none, or a 32-bit process)";
                    break;
                case "modules":
                    observed = modules;
                    break;
                case "LDT remap":
                    observed = NOT_VISIBLE + " (used only with PTI)";
                    break;
                case "unused hole":
                    observed = "";
                    break;
                default:
                    observed = NOT_VISIBLE;
            }
            out.add(new KernelRegion(r.name(), r.start(), r.end(), r.description(), observed));
        }
        return new KernelLayout(pagingLevels, out, text.address, kaslr, evidence, ram.ranges);
    }

    private static String randomizedNote(Boolean kaslr) {
        if (Boolean.TRUE.equals(kaslr)) {
            return "; with KASLR (CONFIG_RANDOMIZE_MEMORY) its base moves at boot, keeping the order";
        }
        return "";
    }

    // ---- /proc/kallsyms -----------------------------------------------------------------------------------------

    /** The address of {@code _text} and, when it is not known, why. */
    record TextSymbol(Long address, String note) {
    }

    private static TextSymbol kernelText(Path kallsyms) {
        try (InputStream in = Files.newInputStream(kallsyms)) {
            long[] addr = new long[1];
            if (!findText(in, addr)) {
                return new TextSymbol(null, "no _text symbol in " + kallsyms);
            }
            if (addr[0] == 0) {
                return new TextSymbol(null, "hidden: kptr_restrict (" + kallsyms + " shows 0 addresses to this user)");
            }
            return new TextSymbol(addr[0], "");
        } catch (NoSuchFileException e) {
            return new TextSymbol(null, "no " + kallsyms + " (CONFIG_KALLSYMS off)");
        } catch (AccessDeniedException e) {
            return new TextSymbol(null, "hidden: " + kallsyms + " is not readable by this user");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + kallsyms + ": " + e.getMessage(), e);
        }
    }

    /**
     * Streams kallsyms text ("ADDRESS TYPE NAME[\t[module]]" per line) until the {@code _text} symbol and stores its
     * address in {@code out[0]}; returns false when the stream ends first. The file is ~10 MB; {@code _text} comes in
     * the first few lines (symbols are sorted by address, after the per-CPU ones at 0), so this reads one buffer.
     */
    static boolean findText(InputStream in, long[] out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        byte[] line = new byte[512];
        int lineLen = 0;
        boolean overlong = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (!overlong && isTextLine(line, lineLen, out)) {
                        return true;
                    }
                    lineLen = 0;
                    overlong = false;
                } else if (lineLen < line.length) {
                    line[lineLen++] = b;
                } else {
                    overlong = true; // symbol names are short; such a line cannot be "_text"
                }
            }
        }
        return !overlong && lineLen > 0 && isTextLine(line, lineLen, out);
    }

    private static final byte[] TEXT = "_text".getBytes(StandardCharsets.US_ASCII);

    private static boolean isTextLine(byte[] b, int len, long[] out) {
        int sp1 = indexOf(b, ' ', 0, len);
        if (sp1 <= 0 || sp1 > 16 || sp1 + 3 > len || b[sp1 + 2] != ' ') {
            return false;
        }
        int nameStart = sp1 + 3;
        // A tab starts a "[module]" suffix: a module's symbol, never the kernel image's _text.
        if (len - nameStart != TEXT.length) {
            return false;
        }
        for (int k = 0; k < TEXT.length; k++) {
            if (b[nameStart + k] != TEXT[k]) {
                return false;
            }
        }
        long v = 0;
        for (int k = 0; k < sp1; k++) {
            int h = Character.digit(b[k], 16);
            if (h < 0) {
                return false;
            }
            v = (v << 4) | h;
        }
        out[0] = v;
        return true;
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == c) {
                return k;
            }
        }
        return -1;
    }

    // ---- /proc/cmdline ------------------------------------------------------------------------------------------

    /** True when "nokaslr" is a kernel parameter (a whole word before any "--", which starts init's arguments). */
    static boolean hasNokaslr(String cmdline) {
        if (cmdline == null) {
            return false;
        }
        for (String word : Words.of(cmdline.replace('\n', ' '))) {
            if (word.equals("--")) {
                return false;
            }
            if (word.equals("nokaslr")) {
                return true;
            }
        }
        return false;
    }

    // ---- /proc/iomem --------------------------------------------------------------------------------------------

    private record Ram(List<RamRange> ranges, String note) {
    }

    private Ram ram(Path iomem) {
        String text = readOptional(iomem);
        if (text == null) {
            return new Ram(List.of(), "System RAM not known: " + iomem + " not readable");
        }
        List<RamRange> all = parseSystemRam(text, iomem.toString());
        boolean hidden = !all.isEmpty();
        long total = 0;
        for (RamRange r : all) {
            if (r.start() != 0 || r.end() != 0) {
                hidden = false;
            }
            total += r.end() - r.start() + 1;
        }
        if (hidden) {
            return new Ram(List.of(), "System RAM ranges hidden: " + iomem + " shows zero addresses to non-root");
        }
        if (all.isEmpty()) {
            return new Ram(List.of(), "no System RAM lines in " + iomem);
        }
        return new Ram(all, "System RAM: " + all.size() + " range" + (all.size() == 1 ? "" : "s") + ", "
                + Classifier.sizeText(total) + " (" + iomem + ")");
    }

    /**
     * The top-level "System RAM" lines of /proc/iomem ("start-end : name", hex, end inclusive; nested resources are
     * indented and skipped).
     */
    public static List<RamRange> parseSystemRam(String text, String file) {
        List<RamRange> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == ' ') {
                continue;
            }
            int dash = line.indexOf('-');
            int colon = line.indexOf(" : ");
            if (dash <= 0 || colon < dash) {
                throw new MalformedProcFile(file, lineNo, line, "expected 'start-end : name'");
            }
            String name = line.substring(colon + 3);
            if (!name.equals("System RAM")) {
                continue;
            }
            try {
                long start = Long.parseUnsignedLong(line, 0, dash, 16);
                long end = Long.parseUnsignedLong(line, dash + 1, colon, 16);
                out.add(new RamRange(start, end, name));
            } catch (NumberFormatException e) {
                throw new MalformedProcFile(file, lineNo, line, "bad hex address");
            }
        }
        return out;
    }

    // ---- /proc/modules ------------------------------------------------------------------------------------------

    private String modules(Path modules) {
        String text = readOptional(modules);
        if (text == null) {
            return "no " + modules + ": no loadable modules (nomodule or CONFIG_MODULES off)";
        }
        long count = text.lines().filter(l -> !l.isBlank()).count();
        return count + " module" + (count == 1 ? "" : "s") + " loaded (" + modules + ")";
    }

    /** A whole small file, or null when it does not exist or is not readable. */
    private String readOptional(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return procFs.readString(file, 0);
        } catch (AccessDenied e) {
            return null;
        }
    }
}
