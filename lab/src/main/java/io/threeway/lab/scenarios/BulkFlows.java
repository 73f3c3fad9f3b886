package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Testbed;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.wire.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bulk transfers from one host to another over one path, each connection with its own congestion control, for
 * the scenarios that compare how TCP moves data (sack-recovery, congestion-control). The applications write and
 * read as fast as the connections let them, polled every millisecond of virtual time.
 */
final class BulkFlows {
    private BulkFlows() {}

    /** The receiver's port. */
    static final int PORT = 5001;

    /**
     * What one connection did.
     *
     * @param congestion        its congestion control
     * @param delivered         bytes the receiving application read
     * @param deliveredInWindow of those, the bytes read from {@code measureFrom} on
     * @param completedAt       when the receiver had all of {@code size} bytes (ns), or -1 (unlimited or unfinished)
     * @param bytesRetrans      bytes the sender sent again
     * @param cwndEnd           the sender's congestion window at the end, in segments
     * @param srttEnd           the sender's smoothed RTT at the end, ns
     * @param mssEnd            the sender's MSS at the end (lowered by a path MTU change)
     * @param senderPort        the sender's local port (the flow's packets on the link come from it)
     */
    record Flow(String congestion, long delivered, long deliveredInWindow, long completedAt, long bytesRetrans,
                int cwndEnd, long srttEnd, int mssEnd, int senderPort) {}

    /**
     * Opens one connection per entry of {@code congestion} from {@code sender} to {@code receiver} (listening on
     * {@link #PORT}) and sends {@code size} bytes on each ({@code -1}: as much as it can) until {@code end}.
     */
    static List<Flow> run(Testbed tb, Stack sender, Stack receiver, List<String> congestion, long size, long measureFrom,
                          long end) {
        return run(tb, sender, receiver, congestion, size, measureFrom, end, new ConnectionOptions());
    }

    /** As {@link #run(Testbed, Stack, Stack, List, long, long, long)}, each sender's socket options from {@code base}. */
    static List<Flow> run(Testbed tb, Stack sender, Stack receiver, List<String> congestion, long size, long measureFrom,
                          long end, ConnectionOptions base) {
        Listener l = receiver.listen(tb.any(), PORT, 64, new ConnectionOptions(), false);
        List<TcpConnection> senders = new ArrayList<>();
        for (String cc : congestion) {
            ConnectionOptions o = base.copy();
            o.congestion = cc;
            senders.add(sender.connect(tb.ip(SERVER), PORT, 0, o, tb.now()));
        }
        sender.userCallDone();
        int n = senders.size();
        TcpConnection[] receivers = new TcpConnection[n];
        long[] sent = new long[n];
        long[] got = new long[n];
        long[] atFrom = new long[n];
        long[] done = new long[n];
        Arrays.fill(atFrom, -1);
        Arrays.fill(done, -1);
        byte[] chunk = new byte[256 * 1024];
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            long now = tb.now();
            for (TcpConnection a; (a = l.accept()) != null; ) {
                int port = a.tuple().remotePort();
                for (int i = 0; i < n; i++) if (senders.get(i).tuple().localPort() == port) receivers[i] = a;
            }
            for (int i = 0; i < n; i++) {
                TcpConnection s = senders.get(i);
                long want = size < 0 ? chunk.length : Math.min(chunk.length, size - sent[i]);
                while (want > 0) {
                    int w = s.write(chunk, 0, (int) want, now);
                    if (w <= 0) break;
                    sent[i] += w;
                    want = size < 0 ? chunk.length : Math.min(chunk.length, size - sent[i]);
                }
                if (receivers[i] != null) {
                    for (int r; (r = receivers[i].read(chunk, 0, chunk.length, now)) > 0; ) got[i] += r;
                }
                if (atFrom[i] < 0 && now >= measureFrom) atFrom[i] = got[i];
                if (done[i] < 0 && size >= 0 && got[i] >= size) done[i] = now;
            }
            sender.userCallDone();
            receiver.userCallDone();
            boolean allDone = size >= 0 && Arrays.stream(done).allMatch(d -> d >= 0);
            if (now < end && !allDone) tb.sim().scheduleIn(MS, tick[0]);
        };
        tb.sim().schedule(tb.now(), tick[0]);
        tb.sim().runUntil(end);
        List<Flow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TcpInfo s = senders.get(i).info(tb.now());
            long from = atFrom[i] < 0 ? got[i] : atFrom[i];
            out.add(new Flow(s.congestionControl(), got[i], got[i] - from, done[i], s.bytesRetrans(), s.cwnd(), s.srtt(), s.mss(),
                    senders.get(i).tuple().localPort()));
        }
        return out;
    }
}
