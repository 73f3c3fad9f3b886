package io.threeway.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The builders of the model's compact encoding: one JSON array per field instead of one object per row (a
 * 100,000-packet run is numbers, not 100,000 sets of repeated keys), times as differences from the previous
 * row (small numbers), and repeated strings as indexes into a table.
 */
final class Columns {
    private Columns() {}

    /** A column of whole numbers. */
    static final class Longs {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        /** The values, as Jackson writes them: a plain array. */
        long[] array() { return Arrays.copyOf(values, size); }
    }

    /** A column of times written as the difference from the row before (the first from 0). */
    static final class Deltas {
        private final Longs out = new Longs();
        private long last;

        void add(long t) {
            out.add(t - last);
            last = t;
        }

        long[] array() { return out.array(); }
    }

    /** Strings numbered in the order first seen: a column holds the numbers, {@link #table} the strings. */
    static final class Table {
        private final List<String> table = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();

        int of(String s) {
            return index.computeIfAbsent(s, k -> {
                table.add(k);
                return table.size() - 1;
            });
        }

        List<String> table() { return table; }
    }
}
