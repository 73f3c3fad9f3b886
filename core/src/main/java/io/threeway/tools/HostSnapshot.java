package io.threeway.tools;

import io.threeway.host.SocketInfo;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tools read from one host at one moment: its socket table, its counters and its settings, copied,
 * so they can be printed after the stack has moved on (ss and nstat read the kernel the same way: once).
 *
 * @param host    the stack's name, e.g. {@code server}, or {@code variant/server} when a scenario runs variants
 * @param time    virtual time of the copy, in nanoseconds
 * @param sockets every listener, then every connection, in the stack's stable order
 */
public record HostSnapshot(String host, long time, List<SocketEntry> sockets, Counters counters, Sysctls sysctls) {

    public HostSnapshot {
        sockets = List.copyOf(sockets);
    }

    /** Copies {@code stack} as it stands at {@code now}, naming it {@code host}. */
    public static HostSnapshot of(String host, Stack stack, long now) {
        List<SocketEntry> rows = new ArrayList<>();
        for (SocketInfo s : stack.sockets()) rows.add(SocketEntry.of(s, now));
        Counters copy = new Counters();
        for (Counter c : Counter.values()) copy.set(c, stack.counters().get(c));
        return new HostSnapshot(host, now, rows, copy, new Sysctls(stack.sysctls()));
    }

    /** Copies {@code stack} under its own name. */
    public static HostSnapshot of(Stack stack, long now) {
        return of(stack.name(), stack, now);
    }
}
