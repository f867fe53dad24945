package dev.inspector.core.checklist;

import dev.inspector.core.InspectorException;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.procfs.KernelFiles;
import dev.inspector.core.procfs.KernelSettings;
import dev.inspector.core.procfs.ProcessFiles;
import dev.inspector.core.session.Host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The documents' model as a checklist against this host and one process ({@code inspector model [PID]}): page and
 * huge page sizes, address width and paging depth, the user/kernel split (and what a 32-bit process sees), ASLR, the
 * order of a process's segments and its mmap layout, the stack's direction, the kernel's visibility, frame numbers and
 * facts that depend on the kernel's version. Everything is measured first ({@link ModelEvidence}); each line is then
 * judged through the claims engine, citing the catalogue where the documents make the claim.
 */
public final class ModelChecklist {

    /** ADDR_COMPAT_LAYOUT (include/uapi/linux/personality.h): the legacy bottom-up mmap layout for this process. */
    static final long ADDR_COMPAT_LAYOUT = 0x0200000L;
    /** ADDR_NO_RANDOMIZE. */
    static final long ADDR_NO_RANDOMIZE = 0x0040000L;

    private final Host host;
    private final Optional<SampleDirectory> samples;

    /** {@code samples}: where the 32-bit sample may be found (empty: what a 32-bit process sees is not checked). */
    public ModelChecklist(Host host, Optional<SampleDirectory> samples) {
        this.host = host;
        this.samples = samples;
    }

    /** Measures and judges for {@code pid}, or for the inspector's own process when null. */
    public ModelReport check(Integer pid) {
        ModelEvidence e = measure(pid);
        List<ModelLine> lines = new ArrayList<>();
        for (Item item : ITEMS) {
            lines.add(new ModelLine(item.topic, item.expectation.check(e), item.sources));
        }
        return new ModelReport(e.process().process().pid(), e.self(), e.process().process().comm(),
                e.host().kernelRelease(), lines);
    }

    /** Every line as its topic, the claim it judges and its sources, without measuring (for help and docs). */
    public static List<String> topics() {
        List<String> out = new ArrayList<>();
        for (Item i : ITEMS) {
            out.add(i.topic);
        }
        return out;
    }

    ModelEvidence measure(Integer pid) {
        int target = pid == null ? host.selfPid() : pid;
        Snapshot snap = host.session(target).snapshot(SnapshotOptions.maps());
        Long persona;
        try {
            persona = new ProcessFiles(host.procFs(), target).personality();
        } catch (InspectorException e) {
            persona = null;
        }
        KernelSettings k = new KernelSettings(host.procFs());
        KernelFiles kf = new KernelFiles(host.procFs());
        SampleStep layout = null;
        SampleStep above = null;
        String missing;
        if (samples.isEmpty()) {
            missing = "the 32-bit sample is not built (no native-samples/target/bin found)";
        } else {
            missing = samples.get().unavailable("vmsplit32").orElse(null);
            if (missing == null && !samples.get().isBuilt("vmsplit32")) {
                missing = "the 32-bit sample is not built (" + samples.get().path().resolve("vmsplit32") + ")";
            }
            if (missing == null) {
                try {
                    ProgramRun run = samples.get().run(Duration.ofSeconds(30), "vmsplit32");
                    for (String line : run.stdout().split("\n")) {
                        if (SampleStep.isStep(line)) {
                            SampleStep s = SampleStep.parse(line);
                            layout = s.name().equals("layout") ? s : layout;
                            above = s.name().equals("mapped_above_3GiB") ? s : above;
                        }
                    }
                    if (layout == null || above == null) {
                        missing = "the 32-bit sample ended with status " + run.exitCode() + " before its steps";
                    }
                } catch (InspectorException ex) {
                    missing = "the 32-bit sample failed: " + ex.getMessage();
                }
            }
        }
        return new ModelEvidence(host.info(), host.features(), k.randomizeVaSpace(), k.mmapRndBits(),
                k.legacyVaLayout(), k.hugePools(), k.hugePoolsDir().toString(), k.thpPmdSize(), k.thpEnabled(),
                k.cpu(), k.meminfo(), k.meltdown(), k.kcoreExists(), k.devMemExists(), kf.kernelText(), snap,
                pid == null || target == host.selfPid(), persona, layout, above, missing);
    }

    // ---- the lines ----------------------------------------------------------------------------------------------

    private record Item(String topic, Expectation<ModelEvidence> expectation, List<String> sources) {
    }

    private static Item item(String topic, String id, String statement, List<String> sources,
                             Expectation.Judge<ModelEvidence> judge) {
        Claim c = id == null ? Claim.of(statement) : Catalogue.claim(id, statement);
        return new Item(topic, new Expectation<>(c, judge), sources);
    }

    private static final List<Item> ITEMS = List.of(
            item("page size", "C33", "memory is managed in 4 KiB pages, a size the hardware sets",
                    List.of("/proc/self/auxv AT_PAGESZ", "/proc/PID/smaps KernelPageSize"), ModelChecklist::pageSize),
            item("huge pages", "C34", "besides 4 KiB pages there are 2 MiB and 1 GiB pages",
                    List.of("/sys/kernel/mm/transparent_hugepage", "/sys/kernel/mm/hugepages", "/proc/cpuinfo flags"),
                    ModelChecklist::hugePages),
            item("address width", "C45", "x86-64 uses 48 of 64 address bits: user addresses start with zeros, kernel"
                    + " ones with ones, 128 TiB each", List.of("/proc/cpuinfo address sizes, la57",
                    "/proc/PID/maps"), ModelChecklist::addressWidth),
            item("paging levels", "C44", "address translation is a two-level table (10 + 10 + 12 bits) covering 4 GiB",
                    List.of("/proc/cpuinfo flags (la57)", "/proc/meminfo VmallocTotal"), ModelChecklist::pagingLevels),
            item("user/kernel split", "C46", "a process has 4 GiB: 3 GiB for itself and 1 GiB for the kernel",
                    List.of("/proc/cpuinfo", "/proc/PID/maps", "/proc/meminfo VmallocTotal"), ModelChecklist::split64),
            item("32-bit process", "C46", "a 32-bit process has 4 GiB: 3 GiB for itself and 1 GiB for the kernel",
                    List.of("native-samples vmsplit32, run now"), ModelChecklist::split32),
            item("ASLR", "C25", "the stack, the mmap area and the heap get random offsets in every process",
                    List.of("/proc/sys/kernel/randomize_va_space", "/proc/sys/vm/mmap_rnd_bits",
                            "/proc/PID/personality"), ModelChecklist::aslr),
            item("segment order", "C24", "every process gets the same layout: text, data, bss, heap, mmap area,"
                    + " stack, from low to high addresses", List.of("/proc/PID/maps", "/proc/PID/exe ELF sections"),
                    ModelChecklist::segmentOrder),
            item("mmap layout", null, "mmaps are placed top-down below the stack, or bottom-up from low in user space"
                    + " (the legacy layout) when RLIMIT_STACK is unlimited",
                    List.of("/proc/PID/limits", "/proc/sys/vm/legacy_va_layout", "/proc/PID/personality",
                            "/proc/PID/maps"), ModelChecklist::mmapLayout),
            item("stack direction", "C02", "the stack grows towards lower addresses",
                    List.of("/proc/PID/smaps VmFlags", "/proc/PID/task/TID/syscall"), ModelChecklist::stackDown),
            item("kernel mapping", "C47", "the kernel is mapped into every process, protected from it",
                    List.of("/proc/PID/maps", "/proc/kcore", "/sys/devices/system/cpu/vulnerabilities/meltdown",
                            "/proc/kallsyms"), ModelChecklist::kernelMapping),
            item("frame numbers", "C39", "physical memory is split into frames that programs do not see",
                    List.of("/proc/self/pagemap (probe)"), ModelChecklist::frames),
            item("zero page", null, "reading untouched anonymous memory maps the one shared zero page",
                    List.of("/proc/self/pagemap (probe)", "/proc/cmdline"), ModelChecklist::zeroPage),
            item("vDSO data", null, "the vDSO's data pages are mapped as [vvar] ([vvar] and [vvar_vclock] on newer"
                    + " kernels)", List.of("/proc/PID/maps", "/proc/sys/kernel/osrelease"), ModelChecklist::vvar),
            item("anon names", null, "anonymous mappings can carry a name, shown as [anon:NAME] (Linux 5.17+ with"
                    + " CONFIG_ANON_VMA_NAME)", List.of("prctl(PR_SET_VMA_ANON_NAME) (probe)"),
                    ModelChecklist::anonNames),
            item("pagemap", null, "pagemap tells per page: present (63), swapped (62), file or shared (61),"
                    + " exclusive (56), soft-dirty (55), the frame (0-54); PAGEMAP_SCAN (6.7+) and PROCMAP_QUERY (6.11+)"
                    + " answer by ioctl", List.of("/proc/self/pagemap, clear_refs, ioctls (probe)"),
                    ModelChecklist::pagemap));

    static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }

    static String size(long bytes) {
        return dev.inspector.core.model.ByteSize.of(bytes);
    }

    private static String who(ModelEvidence e) {
        return "pid " + e.process().process().pid() + (e.self() ? " (the inspector itself)" : "");
    }

    static Finding pageSize(ModelEvidence e) {
        int ps = e.host().pageSize();
        long other = 0;
        for (Region r : e.process().regions()) {
            if (r.smaps() != null && r.smaps().has("KernelPageSize") && r.smaps().get("KernelPageSize") != ps) {
                other++;
            }
        }
        String seen = "AT_PAGESZ " + ps + "; " + who(e) + ": " + (e.process().regions().size() - other) + " of "
                + e.process().regions().size() + " mappings in " + ps / 1024 + " kB kernel pages";
        return Finding.holdsIf(ps == 4096, seen);
    }

    static Finding hugePages(ModelEvidence e) {
        List<String> sizes = new ArrayList<>();
        Long pmd = e.thpPmdSize().value();
        if (e.thp() != null && pmd != null) {
            sizes.add("THP " + size(pmd) + " (" + e.thp() + ")");
        }
        boolean gb = false;
        for (KernelSettings.HugePool p : e.hugePools()) {
            sizes.add("hugetlb " + size(p.pageBytes()) + " (" + (p.total() < 0 ? "?" : p.total()) + " reserved)");
            gb |= p.pageBytes() == 1L << 30;
        }
        String seen = (sizes.isEmpty() ? "no huge page sizes" : String.join(", ", sizes)) + "; cpuinfo pdpe1gb "
                + (e.cpu().has("pdpe1gb") ? "present" : "absent");
        if (sizes.isEmpty()) {
            return Finding.differs(seen, "this kernel offers no page larger than the base page");
        }
        return Finding.holdsWithNuance(seen, "2 MiB pages come only on the kernel's terms: transparent ones where THP"
                + " allows (" + e.thp() + "), hugetlb ones only from pages reserved in a pool"
                + (gb ? "" : "; no 1 GiB pool: this CPU lacks 1 GiB pages (pdpe1gb)"));
    }

    private static long highestUserEnd(Snapshot s) {
        long top = 0;
        for (Region r : s.regions()) {
            Mapping m = r.mapping();
            if (m.path().type() != MappingPath.Type.VSYSCALL && Long.compareUnsigned(m.end(), top) > 0) {
                top = m.end();
            }
        }
        return top;
    }

    static Finding addressWidth(ModelEvidence e) {
        int levels = e.host().pagingLevels();
        int bits = e.cpu().virtualBits();
        long userTop = e.host().highestUserAddress();
        long highest = highestUserEnd(e.process());
        String seen = "cpuinfo: " + (bits < 0 ? "no address sizes line" : bits + " bits virtual") + ", la57 "
                + (levels == 5 ? "in use" : "absent") + "; user space ends at " + hex(userTop) + "; " + who(e)
                + "'s highest mapping ends at " + hex(highest);
        if (levels == 5) {
            return Finding.differs(seen, "5-level paging: 57-bit addresses, 64 PiB per half");
        }
        if (Long.compareUnsigned(highest, 1L << 47) > 0 || (bits > 0 && bits != 48)) {
            return Finding.differs(seen);
        }
        return Finding.holdsWithNuance(seen, "the user half ends one page short of 128 TiB (" + hex(userTop)
                + "); an address between the halves faults before any page walk");
    }

    static Finding pagingLevels(ModelEvidence e) {
        int levels = e.host().pagingLevels();
        Long vmalloc = e.meminfo().get("VmallocTotal");
        String seen = levels + "-level paging (" + (levels == 5 ? "la57 in cpuinfo" : "no la57 in cpuinfo") + "), "
                + (levels == 5 ? 57 : 48) + "-bit virtual addresses; VmallocTotal "
                + (vmalloc == null ? "?" : size(vmalloc));
        return Finding.differs(seen, "that layout is 32-bit paging without PAE; x86-64 walks " + levels + " tables"
                + " of 512 entries (9 bits each) under a 12-bit page offset");
    }

    static Finding split64(ModelEvidence e) {
        long userTop = e.host().highestUserAddress();
        long highest = highestUserEnd(e.process());
        Long vmalloc = e.meminfo().get("VmallocTotal");
        String seen = "64-bit: user space 0x0-" + hex(userTop) + " (" + size(userTop + e.host().pageSize())
                + " less a page), the kernel half from " + hex(-(userTop + e.host().pageSize())) + "; " + who(e)
                + " maps up to " + hex(highest) + "; VmallocTotal " + (vmalloc == null ? "?" : size(vmalloc));
        if (Long.compareUnsigned(highest, 3L << 30) <= 0) {
            return Finding.holds(seen);
        }
        return Finding.differs(seen, "the 3G/1G split belongs to 32-bit kernels; on x86-64 each half of the address"
                + " space is 128 TiB, and a process uses addresses far above 3 GiB");
    }

    static Finding split32(ModelEvidence e) {
        if (e.layout32() == null) {
            return Finding.cannotCheck("no 32-bit process to look at: " + e.missing32());
        }
        long stack = e.layout32().addr("stack_local");
        String result = e.above3G().value("result");
        String seen = "a 32-bit process here: stack at " + hex(stack) + ", a page at " + e.above3G().value("at")
                + ": " + result;
        if (stack < (3L << 30) && !result.equals("ok")) {
            return Finding.holds(seen);
        }
        return Finding.differs(seen, "on a 64-bit kernel a 32-bit process owns nearly all of its 4 GiB (up to"
                + " 0xffffe000); 3G/1G holds only on a 32-bit kernel or with ADDR_LIMIT_3GB");
    }

    static Finding aslr(ModelEvidence e) {
        Long rva = e.randomizeVaSpace().value();
        if (rva == null) {
            return Finding.cannotCheck("randomize_va_space is not readable: " + e.randomizeVaSpace().note());
        }
        boolean off = e.personality() != null && (e.personality() & ADDR_NO_RANDOMIZE) != 0;
        String seen = "randomize_va_space " + rva + ", vm.mmap_rnd_bits " + e.mmapRndBits() + "; " + who(e)
                + "'s personality " + (e.personality() == null ? "unknown" : hex(e.personality()))
                + (off ? " (ADDR_NO_RANDOMIZE)" : "");
        if (rva == 0 || off) {
            return Finding.differs(seen, rva == 0 ? "ASLR is off on this host" : "ASLR is off for this process");
        }
        if (rva == 1) {
            return Finding.holdsWithNuance(seen, "mode 1 randomises the stack, the mmap area and the vDSO, not the brk"
                    + " heap");
        }
        return Finding.holdsWithNuance(seen, "the offsets are random per exec, not per fork: a forked child keeps its"
                + " parent's layout ('inspector aslr' measures the entropy)");
    }

    /** The lowest start of regions of these kinds, or null. */
    private static Mapping lowest(Snapshot s, RegionKind... kinds) {
        Mapping best = null;
        for (Region r : s.regions()) {
            for (RegionKind k : kinds) {
                if (r.kind() == k && (best == null || Long.compareUnsigned(r.mapping().start(), best.start()) < 0)) {
                    best = r.mapping();
                }
            }
        }
        return best;
    }

    /** The program's own regions of one kind (text, data, bss), by its exe path. */
    private static Mapping exeRegion(Snapshot s, RegionKind kind) {
        String exe = s.process().exe();
        for (Region r : s.regions()) {
            if (r.kind() == kind && exe != null && (exe.equals(r.owner()) || (r.mapping().path().isFile()
                    && r.mapping().path().name().equals(exe)))) {
                return r.mapping();
            }
        }
        return null;
    }

    /**
     * The top of the mmap area: the highest library or anonymous mapping below [stack] (the program, the heap and the
     * vDSO pages aside). Mappings placed by an explicit hint (the JVM puts its heap at low addresses) do not move it.
     */
    private static Mapping mmapArea(Snapshot s) {
        Mapping stack = firstOf(s, MappingPath.Type.STACK);
        String exe = s.process().exe();
        Mapping best = null;
        for (Region r : s.regions()) {
            Mapping m = r.mapping();
            MappingPath.Type t = m.path().type();
            boolean own = exe != null && ((m.path().isFile() && m.path().name().equals(exe)) || exe.equals(r.owner()));
            if (own || t == MappingPath.Type.HEAP || t == MappingPath.Type.STACK || t == MappingPath.Type.VSYSCALL
                    || t == MappingPath.Type.VDSO || t == MappingPath.Type.VVAR || t == MappingPath.Type.VVAR_VCLOCK) {
                continue;
            }
            if (stack != null && Long.compareUnsigned(m.start(), stack.start()) >= 0) {
                continue;
            }
            if (!m.path().isFile() && r.kind() != RegionKind.ANONYMOUS && r.kind() != RegionKind.MALLOC_ARENA
                    && r.kind() != RegionKind.THREAD_STACK && r.kind() != RegionKind.GUARD) {
                continue;
            }
            if (best == null || Long.compareUnsigned(m.end(), best.end()) > 0) {
                best = m;
            }
        }
        return best;
    }

    private static Mapping firstOf(Snapshot s, MappingPath.Type t) {
        for (Region r : s.regions()) {
            if (r.mapping().path().type() == t) {
                return r.mapping();
            }
        }
        return null;
    }

    static Finding segmentOrder(ModelEvidence e) {
        Snapshot s = e.process();
        List<String> names = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        Object[][] parts = {{"text", exeRegion(s, RegionKind.TEXT)}, {"data", exeRegion(s, RegionKind.DATA)},
            {"bss", exeRegion(s, RegionKind.BSS)}, {"heap", firstOf(s, MappingPath.Type.HEAP)},
            {"mmap area (top)", mmapArea(s)}, {"stack", firstOf(s, MappingPath.Type.STACK)}};
        List<String> absent = new ArrayList<>();
        for (Object[] p : parts) {
            Mapping m = (Mapping) p[1];
            if (m == null) {
                absent.add((String) p[0]);
            } else {
                names.add(p[0] + " " + hex(m.start()));
                starts.add(m.start());
            }
        }
        boolean sorted = true;
        for (int i = 1; i < starts.size(); i++) {
            sorted &= Long.compareUnsigned(starts.get(i - 1), starts.get(i)) < 0;
        }
        String seen = who(e) + ": " + String.join(" < ", names) + (absent.isEmpty() ? ""
                : " (no " + String.join(", ", absent) + ")");
        if (exeRegion(s, RegionKind.TEXT) == null || firstOf(s, MappingPath.Type.STACK) == null) {
            return Finding.cannotCheck("the process has no program text or no [stack] to order ("
                    + String.join(", ", absent) + " missing)");
        }
        if (!sorted) {
            Mapping area = mmapArea(s);
            Mapping text = exeRegion(s, RegionKind.TEXT);
            boolean below = area != null && Long.compareUnsigned(area.end(), text.start()) <= 0;
            return Finding.differs(seen, below ? "the mmap area lies below the program: with the legacy bottom-up"
                    + " layout (RLIMIT_STACK " + (s.process().stackLimitSoft() < 0 ? "unlimited" : "limited")
                    + ") mmaps start low in user space, so the order depends on the process's limits" : null);
        }
        return Finding.holdsWithNuance(seen, "the order is the same in every process, the addresses are not"
                + " (ASLR); several libraries, arenas and thread stacks share the mmap area");
    }

    static Finding mmapLayout(ModelEvidence e) {
        Snapshot s = e.process();
        long soft = s.process().stackLimitSoft();
        Long legacySysctl = e.legacyVaLayout().value();
        boolean compat = e.personality() != null && (e.personality() & ADDR_COMPAT_LAYOUT) != 0;
        boolean legacy = soft < 0 || (legacySysctl != null && legacySysctl != 0) || compat;
        Mapping area = mmapArea(s);
        Mapping stack = firstOf(s, MappingPath.Type.STACK);
        if (area == null || stack == null) {
            return Finding.cannotCheck("the process has no mmap area or no [stack]");
        }
        long taskSize = e.host().highestUserAddress() + e.host().pageSize();
        // Top-down, the mmap area starts just below the stack gap; bottom-up, at TASK_UNMAPPED_BASE (a fraction of
        // user space, plus the random offset) and grows up: far below the middle of user space.
        boolean bottomUp = Long.compareUnsigned(area.end(), taskSize / 2) < 0;
        String seen = "RLIMIT_STACK " + (soft < 0 ? "unlimited" : size(soft)) + ", vm.legacy_va_layout "
                + e.legacyVaLayout() + (compat ? ", personality ADDR_COMPAT_LAYOUT" : "") + "; the mmap area's top mapping"
                + " ends at " + hex(area.end()) + " (the middle of user space is " + hex(taskSize / 2) + "), [stack] at "
                + hex(stack.start()) + ": " + (bottomUp ? "bottom-up" : "top-down");
        if (legacy != bottomUp) {
            return Finding.differs(seen, "expected the " + (legacy ? "legacy bottom-up" : "top-down") + " layout");
        }
        return legacy ? Finding.holdsWithNuance(seen, "an unlimited stack (or the legacy sysctl, or the persona) makes"
                + " the kernel fall back to the legacy layout: mmaps grow upward from low in user space, leaving the"
                + " stack all the room below it")
                : Finding.holds(seen);
    }

    static Finding stackDown(ModelEvidence e) {
        Snapshot s = e.process();
        Mapping stack = firstOf(s, MappingPath.Type.STACK);
        if (stack == null) {
            return Finding.cannotCheck("the process has no [stack] line");
        }
        Region r = null;
        for (Region x : s.regions()) {
            if (x.mapping().equals(stack)) {
                r = x;
            }
        }
        boolean gd = r != null && r.smaps() != null && r.smaps().vmFlags() != null && r.smaps().vmFlags().has("gd");
        Long sp = null;
        for (ThreadInfo t : s.threads()) {
            if (t.tid() == s.process().pid() && t.stackPointer() != null) {
                sp = t.stackPointer();
            }
        }
        String seen = "[stack] " + hex(stack.start()) + "-" + hex(stack.end()) + " VmFlags " + (gd ? "gd (grows down)"
                : "without gd") + (sp == null ? "" : "; the main thread's stack pointer " + hex(sp) + " is "
                + (stack.end() - sp) + " bytes below its top");
        return Finding.holdsIf(gd && (sp == null || stack.contains(sp)), seen);
    }

    static Finding kernelMapping(ModelEvidence e) {
        List<String> kernelLines = new ArrayList<>();
        for (Region r : e.process().regions()) {
            if (r.mapping().start() < 0) {
                kernelLines.add(r.mapping().path().kernelText());
            }
        }
        KernelFiles.KernelText text = e.kernelText();
        String seen = "maps lists in the kernel half: " + (kernelLines.isEmpty() ? "nothing" : String.join(", ",
                kernelLines)) + "; /proc/kcore " + (e.kcore() ? "exists" : "absent") + ", /dev/mem "
                + (e.devMem() ? "exists" : "absent") + "; kernel text " + (text.address() == null ? "unknown ("
                + text.note() + ")" : "at " + hex(text.address())) + "; meltdown: "
                + (e.meltdown() == null ? "unknown" : e.meltdown());
        for (String l : kernelLines) {
            if (!l.equals("[vsyscall]")) {
                return Finding.differs(seen, "a readable kernel line in a process's maps");
            }
        }
        boolean pti = e.meltdown() != null && e.meltdown().contains("PTI");
        return Finding.holdsWithNuance(seen, "protected, and invisible: no maps line but [vsyscall] (execute-only);"
                + (pti ? " with PTI the user-mode page tables map only a small entry area" : " without PTI the"
                + " kernel is in every page table, guarded by the user/supervisor bit") + "; reading it faults");
    }

    static Finding frames(ModelEvidence e) {
        boolean visible = e.features().pfnsVisible().available();
        String seen = "pagemap frame numbers " + (visible ? "visible to us" : "hidden from us") + ": "
                + e.features().pfnsVisible().reason();
        return visible ? Finding.holdsWithNuance(seen, "programs do not see frames, but a process with CAP_SYS_ADMIN"
                + " reads them from /proc/PID/pagemap (as here)") : Finding.holds(seen);
    }

    static Finding zeroPage(ModelEvidence e) {
        var z = e.features().zeroPage();
        if (e.features().noZeroPage()) {
            return Finding.differs("reads got frames of their own", z.reason());
        }
        if (!z.available()) {
            return Finding.cannotCheck(z.reason());
        }
        return Finding.holds(z.reason());
    }

    static Finding vvar(ModelEvidence e) {
        boolean vvar = firstOf(e.process(), MappingPath.Type.VVAR) != null;
        boolean vclock = firstOf(e.process(), MappingPath.Type.VVAR_VCLOCK) != null;
        boolean vdso = firstOf(e.process(), MappingPath.Type.VDSO) != null;
        String seen = "Linux " + e.host().kernelRelease() + ", " + who(e) + ": [vdso] " + (vdso ? "yes" : "no")
                + ", [vvar] " + (vvar ? "yes" : "no") + ", [vvar_vclock] " + (vclock ? "yes" : "no");
        if (!vdso) {
            return Finding.cannotCheck("the process has no vDSO (vdso=0, or a static program that unmapped it)");
        }
        return Finding.holdsIf(vvar, seen);
    }

    static Finding anonNames(ModelEvidence e) {
        var f = e.features().anonVmaName();
        return f.available() ? Finding.holds(f.reason()) : Finding.cannotCheck(f.reason());
    }

    static Finding pagemap(ModelEvidence e) {
        var f = e.features();
        List<String> missing = new ArrayList<>();
        if (!f.pfnsVisible().available()) {
            missing.add("frame numbers hidden (not root)");
        }
        if (!f.softDirty().available()) {
            missing.add("soft-dirty never set (CONFIG_MEM_SOFT_DIRTY off)");
        }
        if (!f.pagemapScan().available()) {
            missing.add("no PAGEMAP_SCAN");
        }
        if (!f.procmapQuery().available()) {
            missing.add("no PROCMAP_QUERY");
        }
        String seen = "Linux " + e.host().kernelRelease() + ": frames " + yes(f.pfnsVisible().available())
                + ", soft-dirty " + yes(f.softDirty().available()) + ", PAGEMAP_SCAN "
                + yes(f.pagemapScan().available()) + ", PROCMAP_QUERY " + yes(f.procmapQuery().available());
        return missing.isEmpty() ? Finding.holds(seen) : Finding.holdsWithNuance(seen, String.join("; ", missing));
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    /** For tests: judge one topic's line on given evidence. */
    static Check judge(String topic, ModelEvidence e) {
        for (Item i : ITEMS) {
            if (i.topic.equals(topic)) {
                return i.expectation.check(e);
            }
        }
        throw new IllegalArgumentException("no topic " + topic);
    }
}
