package dev.inspector.core.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** FieldMap's own equals and hashCode keep the Map contract: the same answers as any other map with those entries. */
class FieldMapTest {

    private static FieldMap<Long> of(Object... kv) {
        String[] k = new String[kv.length / 2];
        Object[] v = new Object[kv.length / 2];
        for (int i = 0; i < k.length; i++) {
            k[i] = (String) kv[2 * i];
            v[i] = kv[2 * i + 1];
        }
        return FieldMap.of(k, v, k.length, null);
    }

    private static Map<String, Long> hash(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }

    @Test
    void equalsAndHashCodeAgreeWithAnOrdinaryMap() {
        Object[] a = {"Size", 4096L, "Rss", 0L, "Pss", 0L};
        FieldMap<Long> f = of(a);
        Map<String, Long> h = hash(a);
        assertEquals(h, f);
        assertEquals(f, h);
        assertEquals(h.hashCode(), f.hashCode());
        // Keys made apart (not the same String objects) still compare by value.
        FieldMap<Long> g = of(new String("Size"), 4096L, new String("Rss"), 0L, new String("Pss"), 0L);
        assertEquals(f, g);
        assertEquals(f.hashCode(), g.hashCode());
    }

    @Test
    void oneValueOrKeyApartIsNotEqual() {
        FieldMap<Long> f = of("Size", 4096L, "Rss", 4096L);
        assertNotEquals(f, of("Size", 4096L, "Rss", 8192L));
        assertNotEquals(f, of("Size", 4096L, "Pss", 4096L));
        assertNotEquals(f, of("Size", 4096L));
        assertNotEquals(f, of("Size", 4096L, "Rss", null));
    }

    @Test
    void theSameEntriesInAnotherOrderAreEqualAsForAnyMap() {
        FieldMap<Long> f = of("Size", 4096L, "Rss", 4096L);
        FieldMap<Long> g = of("Rss", 4096L, "Size", 4096L);
        assertEquals(f, g);
        assertEquals(f.hashCode(), g.hashCode());
    }
}
