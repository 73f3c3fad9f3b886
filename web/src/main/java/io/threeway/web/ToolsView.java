package io.threeway.web;

import io.threeway.lab.record.ToolSnapshot;
import io.threeway.stats.Counter;
import io.threeway.tools.HostSnapshot;
import io.threeway.tools.NstatFormatter;
import io.threeway.tools.SsFilter;
import io.threeway.tools.SsFormatter;
import io.threeway.tools.SsOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The socket table and the counters at one event of a run, printed by the same formatters as the CLI's
 * {@code ss -tani} and {@code nstat -a} (and {@code nstat}'s increments since the previous step).
 */
final class ToolsView {
    /** {@code ss -tani}. */
    private static final SsOptions TANI = new SsOptions(true, false, true, true, false, false, false, false);

    private ToolsView() {}

    /** The tools' view after the step that holds event {@code event}. */
    static Map<String, Object> at(Trace t, int event) {
        List<ToolSnapshot> snaps = t.snapshots();
        Map<String, Object> m = new LinkedHashMap<>();
        int i = firstAtOrAfter(snaps, event);
        if (i < 0) {
            m.put("hosts", List.of());
            m.put("note", snaps.isEmpty() ? "No socket table or counters: this trace was not recorded from a run."
                    : "No snapshot at this event.");
            return m;
        }
        ToolSnapshot now = snaps.get(i);
        ToolSnapshot prev = i > 0 ? snaps.get(i - 1) : null;
        m.put("step", i);
        m.put("lastEvent", now.lastEvent());
        long copied = now.hosts().isEmpty() ? 0 : now.hosts().get(0).time() - t.clockOffset();
        if (event >= 0 && event < t.events().size() && t.events().get(event)[0] != copied) {
            // Live mode copies the table at state changes only: say which moment this is.
            m.put("note", String.format(Locale.ROOT, "The nearest copy at or after the cursor: taken at %.6f s, after"
                    + " event %d (the cursor is at %.6f s).", copied / 1e9, now.lastEvent() + 1,
                    t.events().get(event)[0] / 1e9));
        }
        List<Object> hosts = new ArrayList<>();
        for (int h = 0; h < now.hosts().size(); h++) {
            HostSnapshot s = now.hosts().get(h);
            HostSnapshot p = prev == null ? null : prev.hosts().get(h);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("host", s.host());
            o.put("time", s.time() - t.clockOffset());
            List<String> ss = new ArrayList<>(SsFormatter.format(s, TANI, SsFilter.NONE));
            o.put("ss", ss);
            o.put("nstat", NstatFormatter.format(s.counters(), null, 0, true, false));
            Map<String, Long> delta = new LinkedHashMap<>();
            for (Counter c : Counter.values()) {
                long d = s.counters().get(c) - (p == null ? 0 : p.counters().get(c));
                if (d != 0) delta.put(c.nstatName(), d);
            }
            o.put("delta", delta);
            hosts.add(o);
        }
        m.put("hosts", hosts);
        return m;
    }

    private static int firstAtOrAfter(List<ToolSnapshot> snaps, int event) {
        int lo = 0;
        int hi = snaps.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (snaps.get(mid).lastEvent() >= event) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found < 0 && !snaps.isEmpty() ? snaps.size() - 1 : found;
    }
}
