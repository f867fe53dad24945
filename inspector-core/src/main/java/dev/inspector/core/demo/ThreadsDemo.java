package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.ThreadInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code threads} sample: a stack and an arena per thread, a kernel stack per task (C01 C06 C07 C08 C14). */
final class ThreadsDemo {

    private ThreadsDemo() {
    }

    static Demo demo() {
        Map<String, String> env = new HashMap<>();
        env.put("MALLOC_ARENA_MAX", null); // every thread gets an arena of its own, as by default
        return new Demo("threads", "threads", List.of(), Collections.unmodifiableMap(env),
                "each thread has its own stack with a guard page, its own malloc arena and its own kernel stack",
                "Threads created one at a time, each announcing its stack, thread-local variable and a malloc: who"
                    + " made each stack, how it is protected, where each thread's heap is, and the kernel stack"
                    + " behind every task.",
                List.of(
                        step("main_only", "started; one thread so far, which called malloc(1000)",
                                List.of(mainChunkOnHeap())),
                        step("thread_running", s -> "created thread " + s.value("index") + " (tid " + s.value("tid")
                                + "), which announced its stack and its malloc(1000)", List.of(ownStack(),
                                glibcMadeThreadStack(), arenaPerThread())),
                        new DemoStep("all_threads_alive", Judges.says("all threads created and blocked"),
                                List.of(kernelStackPerThread()), new DemoStep.Probes(List.of(), List.of(), true,
                                false)),
                        step("threads_joined", "joined every thread", List.of()),
                        step("done", "finished", List.of())),
                a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> mainChunkOnHeap() {
        return claim("C08", "malloc's memory is on the heap", e -> {
            Located c = e.at("main_chunk");
            return Finding.holdsIf(c.mapped() && c.mapping().path().type() == MappingPath.Type.HEAP, where(c));
        });
    }

    private static Region exactly(DemoEvidence e, SampleStep.Range r) {
        Region region = e.regionAt(r.lo());
        return region != null && region.mapping().start() == r.lo() && region.mapping().end() == r.hi() ? region
                : null;
    }

    static Expectation<DemoEvidence> ownStack() {
        return claim("C06", "each thread has its own stack, which the memory manager can protect", e -> {
            SampleStep s = e.step();
            Region stack = exactly(e, s.range("stack"));
            Region guard = exactly(e, s.range("guard"));
            if (stack == null || guard == null) {
                return Finding.differs("the announced stack " + s.range("stack") + " or guard " + s.range("guard")
                        + " is not exactly one line of maps");
            }
            int tid = (int) s.number("tid");
            Long sp = null;
            for (ThreadInfo t : e.now().threads()) {
                if (t.tid() == tid) {
                    sp = t.stackPointer();
                }
            }
            Mapping m = stack.mapping();
            String seen = "stack " + hex(m.start()) + "-" + hex(m.end()) + " " + m.perms() + " (" + size(m.size())
                    + "), guard " + guard.mapping().perms() + " " + size(guard.mapping().size()) + " right below;"
                    + " thread " + tid + "'s stack pointer " + (sp == null ? "unknown" : hex(sp)) + ", its local and"
                    + " its thread-local variable inside";
            boolean ok = m.perms().toString().equals("rw-p") && guard.mapping().perms().none()
                    && guard.mapping().end() == m.start() && m.contains(e.at("stack_local").address())
                    && m.contains(e.at("tls").address()) && (sp == null || m.contains(sp));
            return Finding.holdsIf(ok, seen);
        });
    }

    static Expectation<DemoEvidence> glibcMadeThreadStack() {
        return claim("C01", "the kernel sets up a thread's stack when it starts", e -> {
            Region stack = exactly(e, e.step().range("stack"));
            Mapping main = e.stack();
            if (stack == null || main == null) {
                return Finding.differs("no [stack] line, or the thread's stack is not one line");
            }
            Region mainRegion = e.regionAt(main.start());
            boolean mainGd = mainRegion.smaps() != null && mainRegion.smaps().vmFlags() != null
                    && mainRegion.smaps().vmFlags().has("gd");
            boolean threadGd = stack.smaps() != null && stack.smaps().vmFlags() != null
                    && stack.smaps().vmFlags().has("gd");
            String seen = "[stack] (main thread): VmFlags " + (mainGd ? "gd" : "no gd") + "; this thread's stack: "
                    + Judges.brief(stack) + ", VmFlags " + (threadGd ? "gd" : "no gd");
            if (!mainGd || threadGd || !Judges.anonymous(stack.mapping())) {
                return Finding.differs(seen);
            }
            return Finding.holdsWithNuance(seen, "only the main thread's stack is the kernel's doing (set up at exec,"
                    + " growing down on demand); the C library maps every other thread's stack as an ordinary"
                    + " anonymous mapping of RLIMIT_STACK size with a guard page, and hands it to clone");
        });
    }

    static Expectation<DemoEvidence> arenaPerThread() {
        return claim("C14", "a process has one heap, built from blocks of a larger-scale manager", e -> {
            Located chunk = e.at("chunk");
            if (!chunk.mapped()) {
                return Finding.differs(where(chunk));
            }
            if (chunk.mapping().path().type() == MappingPath.Type.HEAP) {
                return Finding.holds(where(chunk));
            }
            Region r = chunk.region();
            long align = 64L << 20;
            boolean arena = r.kind() == RegionKind.MALLOC_ARENA || (r.mapping().start() & (align - 1)) == 0;
            if (!arena || !Judges.anonymous(r.mapping())) {
                return Finding.differs(where(chunk), "the thread's block is neither in [heap] nor in an arena");
            }
            return Finding.holdsWithNuance(where(chunk), "the main thread's heap is [heap], but this thread allocates"
                    + " from an arena of its own: a 64 MiB-aligned anonymous reservation carved by malloc, so a"
                    + " threaded process has several heaps (unless MALLOC_ARENA_MAX limits them)");
        });
    }

    static Expectation<DemoEvidence> kernelStackPerThread() {
        return claim("C07", "a thread has a user stack and a separate kernel stack", e -> {
            SampleStep s = e.step();
            Set<Integer> announced = new TreeSet<>();
            announced.add((int) s.number("tid.main"));
            for (int i = 0; i < s.number("threads"); i++) {
                announced.add((int) s.number("tid." + i));
            }
            Set<Integer> tasks = new TreeSet<>();
            Set<Long> userStacks = new TreeSet<>();
            for (ThreadInfo t : e.now().threads()) {
                tasks.add(t.tid());
                if (t.stackMappingStart() != null) {
                    userStacks.add(t.stackMappingStart());
                }
            }
            if (!tasks.equals(announced)) {
                return Finding.differs("task/ lists " + tasks + ", the program announced " + announced);
            }
            List<String> chains = new ArrayList<>();
            boolean readable = true;
            for (int tid : tasks) {
                String k = e.kernelStacks().get(tid);
                if (k == null || k.isBlank()) {
                    readable = false;
                    continue;
                }
                String firstFrame = k.strip().split("\n")[0].replaceAll("^\\[<[0-9a-f]+>\\] ", "");
                chains.add(tid + ": " + k.strip().split("\n").length + " frames, top " + firstFrame);
            }
            if (!readable) {
                return Finding.cannotCheck("not root: /proc/PID/task/TID/stack (each task's kernel call chain) is"
                        + " readable by root only");
            }
            String seen = tasks.size() + " tasks, their stack pointers in " + userStacks.size() + " distinct user"
                    + " stack mappings; kernel stacks: " + String.join("; ", chains);
            return Finding.holdsIf(userStacks.size() == tasks.size(), seen);
        });
    }
}
