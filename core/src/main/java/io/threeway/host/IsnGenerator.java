package io.threeway.host;

import io.threeway.wire.FourTuple;
import java.util.random.RandomGenerator;

/**
 * Initial sequence numbers per RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * with F a keyed SipHash-2-4 and M a clock ticking every 64 ns, as Linux's secure_tcp_seq does. Also the
 * per-connection timestamp offset (Linux's secure_tcp_ts_off), from its own key.
 */
final class IsnGenerator {
    private final SipHash isnKey;
    private final SipHash tsKey;

    IsnGenerator(RandomGenerator random) {
        isnKey = new SipHash(random.nextLong(), random.nextLong());
        tsKey = new SipHash(random.nextLong(), random.nextLong());
    }

    int isn(FourTuple t, long now) {
        long h = isnKey.hash(t.localAddress().hi(), t.localAddress().lo(), t.remoteAddress().hi(), t.remoteAddress().lo(),
                ((long) t.localPort() << 16) | t.remotePort());
        return (int) h + (int) (now >>> 6);
    }

    int timestampOffset(FourTuple t) {
        return (int) tsKey.hash(t.localAddress().hi(), t.localAddress().lo(), t.remoteAddress().hi(), t.remoteAddress().lo());
    }
}
