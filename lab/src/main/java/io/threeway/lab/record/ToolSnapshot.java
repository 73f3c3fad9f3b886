package io.threeway.lab.record;

import io.threeway.tools.HostSnapshot;
import java.util.List;

/**
 * The hosts as the tools ({@code ss}, {@code nstat}) saw them at the end of one step of the run.
 *
 * @param lastEvent the number of the last event ({@link Recording#events()}) of the step it follows
 * @param hosts     every host of the variant, copied then
 */
public record ToolSnapshot(int lastEvent, List<HostSnapshot> hosts) {

    public ToolSnapshot {
        hosts = List.copyOf(hosts);
    }
}
