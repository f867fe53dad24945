package dev.inspector.core.model;

import java.util.List;

/**
 * A mapping with everything the inspector learned about it. {@code owner} is the ELF image the segment belongs to
 * (the executable or a library path) or null; {@code sections} the ELF section names that fall in the mapping;
 * {@code evidence} one line saying why {@code kind} was chosen; {@code tid} the thread whose stack this is, or null.
 * {@code smaps}, {@code residency} and {@code pages} (per-page runs) are null when they were not read.
 */
public record Region(Mapping mapping, RegionKind kind, String owner, List<String> sections, String evidence,
                     Integer tid, Smaps smaps, Residency residency, List<PageRun> pages) {

    public Region {
        sections = sections == null ? List.of() : List.copyOf(sections);
        pages = pages == null ? null : List.copyOf(pages);
    }

    public Region(Mapping mapping, RegionKind kind, String owner, List<String> sections, String evidence, Integer tid) {
        this(mapping, kind, owner, sections, evidence, tid, null, null, null);
    }

    public Region withSmaps(Smaps s) {
        return new Region(mapping, kind, owner, sections, evidence, tid, s, residency, pages);
    }

    public Region withResidency(Residency r, List<PageRun> runs) {
        return new Region(mapping, kind, owner, sections, evidence, tid, smaps, r, runs);
    }
}
