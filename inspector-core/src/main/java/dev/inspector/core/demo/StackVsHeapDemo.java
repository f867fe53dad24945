package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.ThreadInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code stack_vs_heap} sample: frames go down, heap chunks go up, mmaps are new regions (C01 C02 C04 C09 C11 C16). */
final class StackVsHeapDemo {

    private StackVsHeapDemo() {
    }

    static Demo demo() {
        return new Demo("stack_vs_heap", "stack_vs_heap", List.of(), Map.of(),
                "the stack grows down frame by frame, the heap grows up, mmaps are regions of their own",
                "Three nested calls with a 64 KiB local each, then three mallocs and two mmaps: where each lands,"
                    + " which way each area grows, what a frame is made of, and what returning from a call leaves"
                    + " behind.",
                List.of(
                        step("start", "started; nothing allocated yet", List.of(kernelMadeTheStack())),
                        new DemoStep("stack_frame", s -> "entered call depth " + s.value("depth") + ", whose 64 KiB"
                                + " local array it wrote", List.of(stackGrowsDown(), frameIsDelimited()),
                                DemoStep.Probes.peek("frame")),
                        step("frames_returned", "returned from all three calls, back in main",
                                List.of(localsDieWithTheFrame())),
                        step("heap_alloc", s -> "malloc(" + s.value("size") + "), allocation " + s.value("n")
                                + " of 3", List.of(heapGrowsUp(), allocatorCarvesRegions())),
                        step("mmap_alloc", s -> "mmap of " + size(Long.parseLong(s.value("size")))
                                + " anonymous memory, one byte written (" + s.value("n") + " of 2)",
                                List.of(mmapMakesARegion())),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> kernelMadeTheStack() {
        return claim("C01", "the kernel sets up the main thread's stack before the program runs", e -> {
            Mapping stack = e.stack();
            if (stack == null) {
                return Finding.differs("no [stack] line");
            }
            Region r = e.regionAt(stack.start());
            boolean gd = r.smaps() != null && r.smaps().vmFlags() != null && r.smaps().vmFlags().has("gd");
            Located local = e.at("main_local");
            Located sp = e.at("sp");
            Long kernelSp = null;
            for (ThreadInfo t : e.now().threads()) {
                if (t.tid() == e.step().pid()) {
                    kernelSp = t.stackPointer();
                }
            }
            String seen = "[stack] " + hex(stack.start()) + "-" + hex(stack.end()) + " (" + size(stack.size())
                    + (gd ? ", VmFlags gd: grows down" : ", no gd flag") + ") holds main's local and the stack pointer"
                    + (kernelSp == null ? "" : "; the kernel's saved stack pointer " + hex(kernelSp) + " too")
                    + "; [heap] " + (e.heap() == null ? "absent" : "present");
            return Finding.holdsIf(gd && stack.contains(local.address()) && stack.contains(sp.address())
                    && (kernelSp == null || stack.contains(kernelSp)), seen);
        });
    }

    /** The local of the previous frame: the previous stack_frame's, or main's at the first depth. */
    private static Long previousLocal(DemoEvidence e) {
        for (int i = e.earlier().size() - 1; i >= 0; i--) {
            SampleStep s = e.earlier().get(i);
            if (s.name().equals("stack_frame")) {
                return s.addr("local");
            }
            if (s.name().equals("start")) {
                return s.addr("main_local");
            }
        }
        return null;
    }

    static Expectation<DemoEvidence> stackGrowsDown() {
        return claim("C02", "the stack grows towards lower addresses", e -> {
            Long prev = previousLocal(e);
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.STACK);
            Mapping now = e.stack();
            if (prev == null || before == null || now == null) {
                return Finding.cannotCheck("no earlier frame or [stack] to compare with");
            }
            long local = e.at("local").address();
            String seen = "this frame's local " + hex(local) + " is " + (prev - local) + " bytes below the previous"
                    + " one; [stack] start " + hex(before.start()) + " -> " + hex(now.start()) + ", VmStk "
                    + DemoEvidence.status(e.before(), "VmStk") / 1024 + " -> " + e.status("VmStk") / 1024 + " kB";
            return Finding.holdsIf(Long.compareUnsigned(local, prev) < 0
                    && Long.compareUnsigned(now.start(), before.start()) <= 0 && now.contains(local), seen);
        });
    }

    static Expectation<DemoEvidence> frameIsDelimited() {
        return claim("C04", "a function's locals live in its frame, between the stack pointer (RSP) and the frame"
                + " pointer (RBP), in small slots", e -> {
                    long sp = e.at("sp").address();
                    long local = e.at("local").address();
                    long frame = e.at("frame").address();
                    long caller = e.at("caller_frame").address();
                    Long saved = DemoEvidence.longAt(e.memory("frame"));
                    String seen = "RSP " + hex(sp) + " <= local " + hex(local) + " < RBP " + hex(frame)
                            + " < caller's RBP " + hex(caller) + (saved == null ? ""
                            : "; the 8-byte word at RBP holds " + hex(saved));
                    boolean order = Long.compareUnsigned(sp, local) <= 0 && Long.compareUnsigned(local, frame) < 0
                            && Long.compareUnsigned(frame, caller) < 0;
                    if (!order) {
                        return Finding.differs(seen);
                    }
                    if (saved == null) {
                        return Finding.cannotCheck("the word at RBP could not be read (/proc/PID/mem needs the"
                                + " sample's user or root)");
                    }
                    if (saved != caller) {
                        return Finding.differs(seen, "the word at RBP is not the caller's frame pointer");
                    }
                    return Finding.holdsWithNuance(seen, "a stack slot on x86-64 is 8 bytes, not 4: the saved frame"
                            + " pointer at RBP is one 64-bit word; and only code built with frame pointers (here -O0)"
                            + " keeps RBP as the frame's base");
                });
    }

    static Expectation<DemoEvidence> localsDieWithTheFrame() {
        return claim("C04", "a function's locals are gone once it returns", e -> {
            long sp = e.at("sp").address();
            Located deepest = e.at("deepest_local");
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.STACK);
            Mapping now = e.stack();
            if (before == null || now == null) {
                return Finding.cannotCheck("no [stack] line to compare");
            }
            String seen = "the deepest local " + hex(deepest.address()) + " is " + (sp - deepest.address())
                    + " bytes below the stack pointer " + hex(sp) + "; " + where(deepest) + "; VmStk "
                    + DemoEvidence.status(e.before(), "VmStk") / 1024 + " -> " + e.status("VmStk") / 1024 + " kB";
            if (Long.compareUnsigned(deepest.address(), sp) >= 0) {
                return Finding.differs(seen, "the deepest frame is not below the stack pointer");
            }
            if (now.contains(deepest.address()) && now.start() == before.start()) {
                return Finding.holdsWithNuance(seen, "dead to the program but not gone: returning unmaps nothing,"
                        + " [stack] keeps its size and the old bytes stay until a later call overwrites them");
            }
            return Finding.holds(seen);
        });
    }

    static Expectation<DemoEvidence> heapGrowsUp() {
        return claim("C09", "the heap grows towards higher addresses", e -> {
            Located chunk = e.at("chunk");
            Mapping heap = e.heap();
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.HEAP);
            if (heap == null || !heap.contains(chunk.address())) {
                return Finding.differs(where(chunk), "the chunk is not in [heap]");
            }
            SampleStep prev = e.earlier("heap_alloc");
            if (prev == null) {
                return Finding.holdsIf(before == null, "[heap] " + hex(heap.start()) + "-" + hex(heap.end())
                        + " appeared for the first chunk at " + hex(chunk.address()));
            }
            long prevChunk = prev.addr("chunk");
            String seen = "chunk " + hex(chunk.address()) + " is " + (chunk.address() - prevChunk) + " bytes above"
                    + " the previous one; [heap] end " + (before == null ? "none" : hex(before.end())) + " -> "
                    + hex(heap.end());
            return Finding.holdsIf(Long.compareUnsigned(chunk.address(), prevChunk) > 0 && before != null
                    && Long.compareUnsigned(heap.end(), before.end()) >= 0, seen);
        });
    }

    static Expectation<DemoEvidence> allocatorCarvesRegions() {
        return claim("C11", "the kernel hands out regions and the allocator carves them into blocks", e -> {
            Located chunk = e.at("chunk");
            Mapping heap = e.heap();
            long want = Long.parseLong(e.step().value("size"));
            if (heap == null || !heap.contains(chunk.address())) {
                return Finding.differs(where(chunk), "the block is not in [heap]");
            }
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.HEAP);
            int n = 1 + (int) e.earlier().stream().filter(s -> s.name().equals("heap_alloc")).count();
            String seen = n + " block(s) of " + want + " bytes so far in one [heap] of " + size(heap.size())
                    + (before == null ? " (created by this malloc)" : before.end() == heap.end()
                    ? " (unchanged since the previous stop: no new brk)" : " (grown from " + size(before.size()) + ")");
            if (heap.size() < (long) n * want) {
                return Finding.differs(seen, "the region is smaller than the blocks carved from it");
            }
            return Finding.holds(seen);
        });
    }

    static Expectation<DemoEvidence> mmapMakesARegion() {
        return claim("C16", "mmap creates a region on request, and the kernel's record of it shows in maps", e -> {
            SampleStep.Range r = e.step().range("map");
            Region now = e.regionAt(r.lo());
            boolean wasMapped = false;
            if (e.before() != null) {
                for (Region b : e.before().regions()) {
                    Mapping m = b.mapping();
                    if (Long.compareUnsigned(m.start(), r.hi()) < 0 && Long.compareUnsigned(r.lo(), m.end()) < 0) {
                        wasMapped = true;
                    }
                }
            }
            if (now == null) {
                return Finding.differs("no line holds the mapped range " + r);
            }
            Mapping m = now.mapping();
            String seen = r + " was " + (wasMapped ? "already mapped" : "unmapped") + " at the previous stop; now in "
                    + Judges.brief(now);
            if (wasMapped || !Judges.anonymous(m) || !m.perms().write() || Long.compareUnsigned(m.end(), r.hi()) < 0) {
                return Finding.differs(seen);
            }
            if (m.start() != r.lo() || m.end() != r.hi()) {
                return Finding.holdsWithNuance(seen, "the new region merged with an adjacent anonymous mapping of the"
                        + " same permissions: maps shows the kernel's areas, so two mmaps can be one line");
            }
            return Finding.holds(seen);
        });
    }
}
