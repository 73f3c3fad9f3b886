package io.threeway.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The runs the server holds, the most recent {@link #CAPACITY}; older ones are forgotten (bounded memory). */
final class RunStore {
    /** Runs kept; a recorded run may hold up to 150,000 packets. */
    static final int CAPACITY = 8;
    private final AtomicInteger next = new AtomicInteger(1);
    private final Map<Integer, LabRun> runs = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, LabRun> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Makes a run with the next id and keeps it. */
    LabRun add(IntFunction<LabRun> make) {
        LabRun r = make.apply(next.getAndIncrement());
        synchronized (runs) {
            runs.put(r.id(), r);
        }
        return r;
    }

    LabRun get(int id) {
        synchronized (runs) {
            LabRun r = runs.get(id);
            if (r == null) throw new BadRequestException("no run " + id + " (the lab keeps the last " + CAPACITY + ")");
            return r;
        }
    }
}
