package dev.inspector.core.procfs;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.InspectorException;
import dev.inspector.core.model.KernelLayout.RamRange;
import dev.inspector.core.procfs.parse.IomemParser;
import dev.inspector.core.procfs.parse.KallsymsParser;
import dev.inspector.core.procfs.parse.KernelCmdlineParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Readers of the kernel's own files under the proc root: kallsyms, iomem, cmdline, modules. Each says what it could
 * not see instead of guessing: non-root readers get zero addresses in kallsyms (kptr_restrict) and iomem, a kernel
 * without modules has no /proc/modules.
 */
public final class KernelFiles {

    private final ProcFs fs;

    public KernelFiles(ProcFs fs) {
        this.fs = fs;
    }

    /** The address of {@code _text} (the kernel image), or null with the reason in {@code note}. */
    public record KernelText(Long address, String note) {
    }

    public KernelText kernelText() {
        Path kallsyms = fs.root().resolve("kallsyms");
        if (!Files.exists(kallsyms)) {
            return new KernelText(null, "no " + kallsyms + " (CONFIG_KALLSYMS off)");
        }
        try (InputStream in = Files.newInputStream(kallsyms)) {
            long[] addr = new long[1];
            if (!KallsymsParser.findText(in, addr)) {
                return new KernelText(null, "no _text symbol in " + kallsyms);
            }
            if (addr[0] == 0) {
                return new KernelText(null, "hidden: kptr_restrict (" + kallsyms + " shows 0 addresses to this user)");
            }
            return new KernelText(addr[0], "");
        } catch (IOException e) {
            InspectorException t = fs.translate(e, kallsyms, 0);
            if (t instanceof AccessDenied) {
                return new KernelText(null, "hidden: " + kallsyms + " is not readable by this user");
            }
            throw t;
        }
    }

    /** The kernel's boot parameters (before any "--"), or null when /proc/cmdline cannot be read. */
    public List<String> cmdline() {
        String text = optional(fs.root().resolve("cmdline"));
        return text == null ? null : KernelCmdlineParser.parameters(text);
    }

    /**
     * The top-level System RAM ranges of /proc/iomem: {@code ranges} empty and {@code note} saying why when they are
     * not known (unreadable, or hidden as zero addresses from non-root readers).
     */
    public record SystemRam(List<RamRange> ranges, boolean hidden, String note) {
    }

    public SystemRam systemRam() {
        Path iomem = fs.root().resolve("iomem");
        String text = optional(iomem);
        if (text == null) {
            return new SystemRam(List.of(), false, iomem + " not readable");
        }
        List<RamRange> all = IomemParser.systemRam(text, iomem.toString());
        boolean hidden = !all.isEmpty();
        for (RamRange r : all) {
            if (r.start() != 0 || r.end() != 0) {
                hidden = false;
            }
        }
        if (hidden) {
            return new SystemRam(List.of(), true, iomem + " shows zero addresses to non-root");
        }
        return new SystemRam(all, false, all.isEmpty() ? "no System RAM lines in " + iomem : "");
    }

    /** The number of loaded modules, or -1 when there is no /proc/modules (nomodule or CONFIG_MODULES off). */
    public long loadedModules() {
        String text = optional(fs.root().resolve("modules"));
        return text == null ? -1 : text.lines().filter(l -> !l.isBlank()).count();
    }

    /** The path a reader reports, for notes. */
    public Path file(String name) {
        return fs.root().resolve(name);
    }

    /** A whole small file, or null when it does not exist or is not readable. */
    private String optional(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return fs.readString(file, 0);
        } catch (AccessDenied e) {
            return null;
        }
    }
}
