package dev.inspector.core.claims;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents' claims about process memory, C01 to C51, as catalogued in {@code docs/model/claims.md}: each id with
 * its title there (in the project's words) and the file names of the documents that make it. Every claim id the tool
 * prints is one of these, so it resolves to a section of that page (a test holds the two together).
 */
public final class Catalogue {

    /** One catalogued claim: its id, its title in docs/model/claims.md, the documents that make it (first: main). */
    public record Entry(String id, String title, List<String> documents) {
        public Entry {
            documents = List.copyOf(documents);
        }

        /** The claim as the claims engine cites it: {@code statement} (a paraphrase), this id, the main document. */
        public Claim claim(String statement) {
            return new Claim(statement, id, documents.isEmpty() ? null : documents.get(0));
        }
    }

    /** Where the catalogue is written out for readers, relative to the repository root. */
    public static final String PAGE = "docs/model/claims.md";

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        for (Entry e : List.of(
            entry("C01", "The main thread's stack is set up by the kernel when the program starts",
                    "000_7989507611a1a362.txt"),
            entry("C02", "The stack grows towards lower addresses",
                    "000_7989507611a1a362.txt"),
            entry("C03", "The stack is limited in size, and overflowing it ends in SIGSEGV",
                    "000_7989507611a1a362.txt", "002_4fc70062cd8b623a.txt"),
            entry("C04", "Locals live in the current frame and die with it; RSP and RBP delimit the frame; slots are small",
                    "000_7989507611a1a362.txt", "003_8f48c3bf1960a81e.txt"),
            entry("C05", "The stack grows on demand and overflows only when it cannot grow",
                    "002_4fc70062cd8b623a.txt"),
            entry("C06", "Each thread has its own stack, which the memory manager can protect",
                    "003_8f48c3bf1960a81e.txt"),
            entry("C07", "A thread has a user stack and a separate kernel stack",
                    "004_7a27289e93eb9506.txt"),
            entry("C08", "malloc's memory is on the heap; the pointer to it is on the stack",
                    "000_7989507611a1a362.txt"),
            entry("C09", "The heap grows towards higher addresses",
                    "000_7989507611a1a362.txt"),
            entry("C10", "Heap blocks live until freed, and the heap fragments",
                    "000_7989507611a1a362.txt", "002_4fc70062cd8b623a.txt"),
            entry("C11", "The kernel hands out regions; the allocator carves them into blocks",
                    "000_7989507611a1a362.txt", "003_8f48c3bf1960a81e.txt"),
            entry("C12", "malloc serves requests above 128 kB with a separate anonymous mapping",
                    "002_4fc70062cd8b623a.txt"),
            entry("C13", "The data segment runs from .data through .bss into the heap",
                    "002_4fc70062cd8b623a.txt"),
            entry("C14", "A process has one heap, built from blocks of a larger-scale manager",
                    "003_8f48c3bf1960a81e.txt"),
            entry("C15", "Heap memory is obtained while the program runs",
                    "002_4fc70062cd8b623a.txt"),
            entry("C16", "mmap creates regions on request, and the kernel's bookkeeping of them is visible in maps",
                    "000_7989507611a1a362.txt", "004_7a27289e93eb9506.txt"),
            entry("C17", "mmap works in whole pages",
                    "000_7989507611a1a362.txt"),
            entry("C18", "mmap backs files, shared memory and large buffers; a mapping without a file is anonymous",
                    "000_7989507611a1a362.txt", "002_4fc70062cd8b623a.txt"),
            entry("C19", ".bss holds uninitialised globals",
                    "002_4fc70062cd8b623a.txt"),
            entry("C20", ".bss is anonymous memory",
                    "002_4fc70062cd8b623a.txt"),
            entry("C21", "Initialised data is stored in the executable file; .bss is not",
                    "002_4fc70062cd8b623a.txt"),
            entry("C22", ".data is a private copy-on-write mapping of the file: writes never reach the file",
                    "002_4fc70062cd8b623a.txt"),
            entry("C23", "The text segment holds the code and the string literals",
                    "002_4fc70062cd8b623a.txt"),
            entry("C24", "Every process gets the same layout",
                    "001_bf4af54eb7831092.txt"),
            entry("C25", "Stack, mmap area and heap get random offsets per process (ASLR)",
                    "002_4fc70062cd8b623a.txt"),
            entry("C26", "On 32-bit there is little room for ASLR",
                    "002_4fc70062cd8b623a.txt"),
            entry("C27", "Touching memory that is not mapped gives SIGSEGV (the stack's growth area aside)",
                    "002_4fc70062cd8b623a.txt", "003_8f48c3bf1960a81e.txt"),
            entry("C28", "Writing to a read-only area gives SIGSEGV",
                    "002_4fc70062cd8b623a.txt"),
            entry("C29", "A page fault is routine: the kernel supplies the page, reads it in, or kills the process",
                    "000_7989507611a1a362.txt", "001_bf4af54eb7831092.txt"),
            entry("C30", "Only the kernel programs the MMU and handles page faults",
                    "000_7989507611a1a362.txt"),
            entry("C31", "Every virtual page is backed by a physical page",
                    "001_bf4af54eb7831092.txt"),
            entry("C32", "An address may be backed by RAM, by a file, or by nothing",
                    "000_7989507611a1a362.txt", "002_4fc70062cd8b623a.txt"),
            entry("C33", "Memory is managed in 4 KiB pages, a size the hardware chooses",
                    "000_7989507611a1a362.txt", "001_bf4af54eb7831092.txt", "003_8f48c3bf1960a81e.txt"),
            entry("C34", "Besides 4 KiB pages there are 2 MiB and 1 GiB pages",
                    "001_bf4af54eb7831092.txt"),
            entry("C35", "Access permissions are set per page",
                    "001_bf4af54eb7831092.txt"),
            entry("C36", "Contiguous virtual memory may be scattered in physical memory",
                    "001_bf4af54eb7831092.txt", "003_8f48c3bf1960a81e.txt"),
            entry("C37", "Several virtual addresses can share one physical page",
                    "003_8f48c3bf1960a81e.txt"),
            entry("C38", "Processes cannot see each other's memory; one address can hold different data in two processes",
                    "001_bf4af54eb7831092.txt", "003_8f48c3bf1960a81e.txt"),
            entry("C39", "Physical memory is one flat range of bytes, split into frames that programs do not see",
                    "001_bf4af54eb7831092.txt"),
            entry("C40", "Programs never touch hardware directly; they ask the kernel",
                    "000_7989507611a1a362.txt"),
            entry("C41", "System calls cross from ring 3 to ring 0 with checked arguments; paging, not segmentation, isolates",
                    "000_7989507611a1a362.txt", "003_8f48c3bf1960a81e.txt", "004_7a27289e93eb9506.txt"),
            entry("C42", "Page tables live in RAM and belong to the kernel",
                    "000_7989507611a1a362.txt", "001_bf4af54eb7831092.txt"),
            entry("C43", "A TLB caches translations and must be flushed when mappings change",
                    "003_8f48c3bf1960a81e.txt"),
            entry("C44", "Address translation is a two-level table (10+10+12 bits) covering 4 GiB",
                    "003_8f48c3bf1960a81e.txt"),
            entry("C45", "x86-64 uses 48 of 64 address bits: user addresses start with zeros, kernel ones with ones, 128 TiB each",
                    "004_7a27289e93eb9506.txt"),
            entry("C46", "A 32-bit process has 4 GiB: 3 GiB for itself and 1 GiB for the kernel",
                    "002_4fc70062cd8b623a.txt", "004_7a27289e93eb9506.txt"),
            entry("C47", "The kernel is mapped into every process, protected, shared by all",
                    "000_7989507611a1a362.txt", "002_4fc70062cd8b623a.txt", "004_7a27289e93eb9506.txt"),
            entry("C48", "The kernel maps all of RAM linearly and keeps its code and data there",
                    "004_7a27289e93eb9506.txt"),
            entry("C49", "The kernel has a vmalloc area, a module area and (32-bit only) a highmem area",
                    "004_7a27289e93eb9506.txt"),
            entry("C50", "Swapping is an optional feature of the OS, not of the hardware",
                    "003_8f48c3bf1960a81e.txt", "002_4fc70062cd8b623a.txt"),
            entry("C51", "On x86 the CPU keeps caches, including instruction and data caches, coherent by itself",
                    "003_8f48c3bf1960a81e.txt"))) {
            ENTRIES.put(e.id(), e);
        }
    }

    private Catalogue() {
    }

    private static Entry entry(String id, String title, String... documents) {
        return new Entry(id, title, List.of(documents));
    }

    /** Every entry, C01 first. */
    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    /** The entry of {@code id}; an unknown id is an IllegalArgumentException (a bug: every cited id must exist). */
    public static Entry get(String id) {
        Entry e = ENTRIES.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no claim " + id + " in " + PAGE);
        }
        return e;
    }

    /** {@link Entry#claim} of {@code id}. */
    public static Claim claim(String id, String statement) {
        return get(id).claim(statement);
    }
}
