package dev.inspector.core.demo;

import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.demo.DemoEvidence.Located;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.inspector.core.demo.Judges.claim;
import static dev.inspector.core.demo.Judges.hex;
import static dev.inspector.core.demo.Judges.size;
import static dev.inspector.core.demo.Judges.step;
import static dev.inspector.core.demo.Judges.where;

/** The {@code malloc_threshold} sample: which requests malloc serves from the heap and which with a mapping (C08 C11 C12 C15 C18). */
final class MallocThresholdDemo {

    /** The documents' threshold: requests above 128 kB get a mapping of their own. */
    static final long THRESHOLD = 128 * 1024;
    /** glibc stops raising its threshold at 32 MiB (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit). */
    static final long DYNAMIC_MAX = 32L << 20;

    private MallocThresholdDemo() {
    }

    static Demo demo() {
        List<DemoStep> steps = new ArrayList<>();
        steps.add(step("start", "started; no malloc yet", List.of(noHeap())));
        steps.add(step("malloc_16", "malloc(16), the first allocation", List.of(servedAsDocumented(), onHeap(),
                bigRegionForSmallRequest(), heapAppears())));
        for (String[] a : new String[][] {{"malloc_200000_first", "malloc(200000)"},
            {"malloc_1MiB_first", "malloc(1 MiB)"}, {"malloc_33MiB", "malloc(33 MiB)"}, {"malloc_2MiB", "malloc(2 MiB)"}}) {
            steps.add(step(a[0], a[1], List.of(servedAsDocumented(), ownMappingIsAnonymous())));
        }
        for (String[] a : new String[][] {{"malloc_200000_again", "malloc(200000) again, after freeing the first"},
            {"malloc_1MiB_again", "malloc(1 MiB) again, after freeing the first"}}) {
            steps.add(step(a[0], a[1], List.of(servedAsDocumented())));
        }
        for (String[] a : new String[][] {{"free_200000", "free() of the first 200000-byte block"},
            {"free_1MiB", "free() of the first 1 MiB block"}, {"free_33MiB", "free() of the 33 MiB block"}}) {
            steps.add(step(a[0], a[1], List.of(freeGivesMappingBack())));
        }
        steps.add(step("done", "finished", List.of()));
        return new Demo("malloc_threshold", "malloc_threshold", List.of(), Map.of(),
                "which requests malloc serves from the heap and which with a mapping of their own",
                "Small and large mallocs and frees, each block located in maps and in glibc's own chunk header:"
                    + " the 128 kB threshold the documents give, and how glibc moves it while the program runs.",
                steps, a -> 0, Set.of("done"));
    }

    static Expectation<DemoEvidence> noHeap() {
        return claim("C15", "heap memory is obtained while the program runs, not set up in advance", e -> {
            Mapping heap = e.heap();
            return Finding.holdsIf(heap == null, heap == null ? "no [heap] line before the first malloc; the break "
                    + hex(e.at("brk").address()) + " lies in no mapping" : "[heap] " + hex(heap.start()) + "-"
                    + hex(heap.end()) + " exists already");
        });
    }

    static Expectation<DemoEvidence> heapAppears() {
        return claim("C15", "heap memory is obtained while the program runs: the first malloc creates the heap", e -> {
            Mapping heap = e.heap();
            Mapping before = DemoEvidence.first(e.before(), MappingPath.Type.HEAP);
            return Finding.holdsIf(before == null && heap != null, (before == null ? "no [heap] at the previous stop"
                    : "[heap] already at the previous stop") + "; now " + (heap == null ? "none" : "[heap] "
                    + hex(heap.start()) + "-" + hex(heap.end())));
        });
    }

    static Expectation<DemoEvidence> onHeap() {
        return claim("C08", "malloc's memory is on the heap", e -> {
            Located chunk = e.at("chunk");
            return Finding.holdsIf(chunk.mapped() && chunk.mapping().path().type() == MappingPath.Type.HEAP,
                    where(chunk));
        });
    }

    static Expectation<DemoEvidence> bigRegionForSmallRequest() {
        return claim("C11", "the kernel hands out regions and the allocator carves them into blocks", e -> {
            Mapping heap = e.heap();
            long want = Long.parseLong(e.step().value("size"));
            if (heap == null) {
                return Finding.differs("no [heap] after malloc(" + want + ")");
            }
            return Finding.holdsIf(heap.size() > want, "the kernel's region ([heap], via brk) is "
                    + size(heap.size()) + " for a " + want + "-byte request; malloc keeps the rest for later blocks");
        });
    }

    /** Whether the block lies in a mapping of its own, per maps, and per glibc's chunk header (IS_MMAPPED). */
    static Expectation<DemoEvidence> servedAsDocumented() {
        return claim("C12", "malloc serves a request above 128 kB with a separate anonymous mapping, smaller ones"
                + " from the heap", e -> {
                    SampleStep s = e.step();
                    long want = Long.parseLong(s.value("size"));
                    Located chunk = e.at("chunk");
                    boolean header = s.value("mmapped").equals("1");
                    boolean inHeap = chunk.mapped() && chunk.mapping().path().type() == MappingPath.Type.HEAP;
                    boolean ownMapping = chunk.mapped() && Judges.anonymous(chunk.mapping());
                    String seen = want + " bytes: " + where(chunk) + "; chunk header " + s.value("chunk_header")
                            + " (IS_MMAPPED " + (header ? "set" : "clear") + ")";
                    if (header ? !ownMapping : !inHeap) {
                        return Finding.differs(seen, "maps and glibc's chunk header disagree");
                    }
                    boolean predicted = want > THRESHOLD;
                    if (predicted == header) {
                        return Finding.holds(seen);
                    }
                    String env = e.earlier().isEmpty() ? "unset" : e.earlier().get(0).values()
                            .getOrDefault("mmap_threshold_env", "unset");
                    if (!env.equals("unset")) {
                        return Finding.holdsWithNuance(seen, "MALLOC_MMAP_THRESHOLD_=" + env + " fixes the threshold"
                                + " for this process instead of 128 kB");
                    }
                    if (predicted) {
                        long raised = raisedThreshold(e);
                        if (raised >= want) {
                            return Finding.holdsWithNuance(seen, "128 kB is only glibc's starting threshold: freeing"
                                    + " a mapped chunk of " + raised + " bytes raised it to that size, so this request"
                                    + " came from the heap (the adaptation stops at 32 MiB)");
                        }
                    }
                    return Finding.differs(seen, "no earlier free raised glibc's threshold above " + want
                            + " bytes");
                });
    }

    /**
     * The highest threshold glibc set on freeing a mapped chunk so far: the size of each freed mapped chunk's mapping
     * (found from the allocation that announced it), if it was at most 32 MiB; 0 when none.
     */
    static long raisedThreshold(DemoEvidence e) {
        Map<Long, Long> mappingOf = new HashMap<>();
        long raised = 0;
        for (SampleStep s : e.earlier()) {
            if (s.has("addr.chunk") && s.has("range.chunk_mapping")) {
                mappingOf.put(s.addr("chunk"), s.range("chunk_mapping").size());
            }
            if (s.has("addr.freed") && "1".equals(s.values().get("was_mmapped"))) {
                Long m = mappingOf.get(s.addr("freed"));
                if (m != null && m <= DYNAMIC_MAX) {
                    raised = Math.max(raised, m); // glibc only ever raises it, to the freed chunk's size
                }
            }
        }
        return raised;
    }

    static Expectation<DemoEvidence> ownMappingIsAnonymous() {
        return claim("C18", "a large buffer gets a mapping of its own, and a mapping without a file is anonymous",
                e -> {
                    SampleStep s = e.step();
                    if (!s.has("range.chunk_mapping")) {
                        return Finding.differs(where(e.at("chunk")), "the block got no mapping of its own");
                    }
                    SampleStep.Range r = s.range("chunk_mapping");
                    var region = e.regionAt(r.lo());
                    if (region == null) {
                        return Finding.differs("no line holds the chunk's mapping " + r);
                    }
                    Mapping m = region.mapping();
                    String seen = "the chunk's mapping " + r + " (" + size(r.size()) + ") lies in " + Judges.brief(region)
                            + ", inode " + m.inode();
                    return Finding.holdsIf(Judges.anonymous(m) && Long.compareUnsigned(m.end(), r.hi()) >= 0, seen);
                });
    }

    static Expectation<DemoEvidence> freeGivesMappingBack() {
        return claim("C12", "a block served by a mapping of its own is unmapped again when freed", e -> {
            SampleStep s = e.step();
            Located freed = e.at("freed");
            boolean mapped = s.value("was_mmapped").equals("1");
            String seen = "the freed block was " + (mapped ? "mapped on its own" : "in the heap") + "; now "
                    + where(freed);
            if (!mapped) {
                return Finding.differs(seen, "this block came from the heap, so free kept it there");
            }
            return Finding.holdsIf(!freed.mapped(), seen);
        });
    }
}
