package dev.inspector.core.model;

/**
 * One region of the kernel half of the address space: the documented range (x86-64 mm.rst), and what this host shows
 * of it ({@code observed}: e.g. the kernel text address from kallsyms, or "not visible").
 * {@code end} is inclusive (the last address), as mm.rst prints it: the top region ends at 2^64 - 1.
 */
public record KernelRegion(String name, long start, long end, String description, String observed) {
}
