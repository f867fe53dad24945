package dev.inspector.core.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable, insertion-ordered map with few keys, stored as two arrays. smaps has about 25 fields per mapping and
 * a process can have 60,000 mappings: consecutive records share one key array, so a record costs one small object
 * and its values instead of a hash map with an entry object per field.
 */
public final class FieldMap<V> extends AbstractMap<String, V> {
    private final String[] keys;
    private final Object[] values;

    /** {@code keys} is shared, never modified; {@code values} is owned by the map. */
    FieldMap(String[] keys, Object[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException("one value per key");
        }
        this.keys = keys;
        this.values = values;
    }

    public static <V> FieldMap<V> copyOf(Map<String, ? extends V> m) {
        if (m instanceof FieldMap) {
            @SuppressWarnings("unchecked")
            FieldMap<V> f = (FieldMap<V>) m;
            return f;
        }
        String[] k = new String[m.size()];
        Object[] v = new Object[m.size()];
        int i = 0;
        for (Map.Entry<String, ? extends V> e : m.entrySet()) {
            k[i] = e.getKey();
            v[i] = e.getValue();
            i++;
        }
        return new FieldMap<>(k, v);
    }

    /**
     * Builds a map from {@code n} parallel keys and values, reusing {@code previousKeys} when the key sequence is the
     * same (the usual case from one smaps record to the next). The caller keeps ownership of its arrays.
     */
    public static <V> FieldMap<V> of(String[] keys, Object[] values, int n, FieldMap<?> previous) {
        String[] k = null;
        if (previous != null && previous.keys.length == n) {
            k = previous.keys;
            for (int i = 0; i < n; i++) {
                if (!k[i].equals(keys[i])) {
                    k = null;
                    break;
                }
            }
        }
        if (k == null) {
            k = Arrays.copyOf(keys, n);
        }
        return new FieldMap<>(k, Arrays.copyOf(values, n));
    }

    /** The key at {@code i} in insertion order: lets a writer walk the fields without an entry object per field. */
    public String keyAt(int i) {
        return keys[i];
    }

    /** The value at {@code i} in insertion order (see {@link #keyAt}). */
    @SuppressWarnings("unchecked")
    public V valueAt(int i) {
        return (V) values[i];
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == key) {
                return (V) values[i]; // the parser interns its keys: literals match without comparing characters
            }
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return (V) values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        for (String k : keys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<String, V> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, V> e = new SimpleImmutableEntry<>(keys[i], (V) values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    /**
     * Two FieldMaps with the same keys in the same order compare value by value, without an entry per field (a refresh
     * compares every mapping's smaps with the previous one's); anything else as {@link AbstractMap#equals} does.
     */
    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof FieldMap<?> f && f.keys.length == keys.length) {
            boolean sameOrder = true;
            for (int i = 0; i < keys.length; i++) {
                if (f.keys[i] != keys[i] && !f.keys[i].equals(keys[i])) {
                    sameOrder = false;
                    break;
                }
            }
            if (sameOrder) {
                for (int i = 0; i < values.length; i++) {
                    if (!java.util.Objects.equals(values[i], f.values[i])) {
                        return false;
                    }
                }
                return true;
            }
        }
        return super.equals(o);
    }

    /** As {@link AbstractMap#hashCode}: the sum of each entry's key hash XOR value hash. */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) {
            h += keys[i].hashCode() ^ java.util.Objects.hashCode(values[i]);
        }
        return h;
    }
}
