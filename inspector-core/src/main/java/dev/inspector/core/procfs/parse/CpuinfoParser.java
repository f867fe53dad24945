package dev.inspector.core.procfs.parse;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The parts of {@code /proc/cpuinfo} (x86) the memory model needs, from its first processor block: the {@code flags}
 * (la57, pdpe1gb, pse, pti ...) and the {@code address sizes} line ("46 bits physical, 48 bits virtual").
 */
public final class CpuinfoParser {

    /** What one processor block says; an address width is -1 when the line is absent (non-x86 cpuinfo). */
    public record Cpu(String model, Set<String> flags, int physicalBits, int virtualBits) {
        public Cpu {
            flags = Set.copyOf(flags);
        }

        public boolean has(String flag) {
            return flags.contains(flag);
        }
    }

    private CpuinfoParser() {
    }

    public static Cpu parse(String text) {
        String model = null;
        Set<String> flags = new LinkedHashSet<>();
        boolean sawFlags = false;
        int phys = -1;
        int virt = -1;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                if (sawFlags) {
                    break; // the first processor's block is enough: x86 lists the same flags for every CPU
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "model name":
                    model = model == null ? value : model;
                    break;
                case "flags":
                    sawFlags = true;
                    flags.addAll(java.util.Arrays.asList(Words.of(value)));
                    break;
                case "address sizes":
                    // "46 bits physical, 48 bits virtual"
                    for (String part : value.split(",")) {
                        String[] w = Words.of(part);
                        if (w.length == 3 && w[1].equals("bits")) {
                            try {
                                int bits = Integer.parseInt(w[0]);
                                if (w[2].equals("physical")) {
                                    phys = bits;
                                } else if (w[2].equals("virtual")) {
                                    virt = bits;
                                }
                            } catch (NumberFormatException e) {
                                // an unknown form of the line: the width stays unknown (-1)
                            }
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return new Cpu(model == null ? "model unknown" : model, flags, phys, virt);
    }
}
