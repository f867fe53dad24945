package dev.inspector.core.analysis;

import dev.inspector.core.model.KernelLayout;
import dev.inspector.core.model.KernelLayout.RamRange;
import dev.inspector.core.model.KernelRegion;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.ProcFs;

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
        KernelFiles files = new KernelFiles(procFs);
        KernelFiles.KernelText text = files.kernelText();
        List<String> params = files.cmdline();
        boolean nokaslr = params != null && params.contains("nokaslr");
        Ram ram = ram(files);
        String modules = modules(files);

        Boolean kaslr;
        String evidence;
        if (text.address() == null) {
            kaslr = nokaslr ? Boolean.FALSE : null;
            evidence = (nokaslr ? "nokaslr on the kernel command line; " : "unknown: ") + text.note();
        } else if (text.address() == DEFAULT_KERNEL_TEXT) {
            kaslr = Boolean.FALSE;
            evidence = "_text at 0x" + Long.toHexString(text.address()) + " (/proc/kallsyms) is the unrandomized link"
                    + " address __START_KERNEL_map + CONFIG_PHYSICAL_START" + (nokaslr ? "; nokaslr on the kernel"
                    + " command line" : "");
        } else {
            kaslr = Boolean.TRUE;
            evidence = "_text at 0x" + Long.toHexString(text.address()) + " (/proc/kallsyms) is 0x"
                    + Long.toHexString(text.address() - DEFAULT_KERNEL_TEXT) + " away from the unrandomized 0x"
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
                    observed = text.address() != null ? "_text at 0x" + Long.toHexString(text.address())
                            + " (/proc/kallsyms)" : text.note();
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
        return new KernelLayout(pagingLevels, out, text.address(), kaslr, evidence, ram.ranges);
    }

    private static String randomizedNote(Boolean kaslr) {
        if (Boolean.TRUE.equals(kaslr)) {
            return "; with KASLR (CONFIG_RANDOMIZE_MEMORY) its base moves at boot, keeping the order";
        }
        return "";
    }

    // ---- /proc/iomem --------------------------------------------------------------------------------------------

    private record Ram(List<RamRange> ranges, String note) {
    }

    private static Ram ram(KernelFiles files) {
        KernelFiles.SystemRam sr = files.systemRam();
        Path iomem = files.file("iomem");
        if (sr.hidden()) {
            return new Ram(List.of(), "System RAM ranges hidden: " + sr.note());
        }
        if (sr.ranges().isEmpty()) {
            return new Ram(List.of(), "System RAM not known: " + sr.note());
        }
        long total = 0;
        for (RamRange r : sr.ranges()) {
            total += r.end() - r.start() + 1;
        }
        return new Ram(sr.ranges(), "System RAM: " + sr.ranges().size() + " range" + (sr.ranges().size() == 1 ? "" : "s")
                + ", " + Classifier.sizeText(total) + " (" + iomem + ")");
    }

    // ---- /proc/modules ------------------------------------------------------------------------------------------

    private static String modules(KernelFiles files) {
        long count = files.loadedModules();
        Path modules = files.file("modules");
        if (count < 0) {
            return "no " + modules + ": no loadable modules (nomodule or CONFIG_MODULES off)";
        }
        return count + " module" + (count == 1 ? "" : "s") + " loaded (" + modules + ")";
    }
}
