package dev.inspector.core.model;

import java.util.Map;

/**
 * The figures of one smaps record (or of smaps_rollup). {@code bytes} holds every "Key: N kB" field converted to bytes
 * (the kernel's "kB" is KiB), in the order the kernel wrote them, unknown keys included. {@code values} holds fields
 * without a unit (THPeligible, ProtectionKey, ...) as raw text. {@code vmFlags} is null for smaps_rollup.
 */
public record Smaps(Map<String, Long> bytes, Map<String, String> values, VmFlags vmFlags) {

    public Smaps {
        bytes = FieldMap.copyOf(bytes);
        values = FieldMap.copyOf(values);
    }

    /** The field in bytes, or 0 when the kernel did not write it. */
    public long get(String key) {
        Long v = bytes.get(key);
        return v == null ? 0 : v;
    }

    public boolean has(String key) {
        return bytes.containsKey(key) || values.containsKey(key);
    }

    public long rss() {
        return get("Rss");
    }

    public long pss() {
        return get("Pss");
    }

    public long swap() {
        return get("Swap");
    }
}
