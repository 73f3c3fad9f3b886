package io.threeway.lab.file;

import io.threeway.lab.LinkOptions;
import io.threeway.lab.OptionException;
import io.threeway.lab.Testbed;
import io.threeway.lab.file.ScenarioFile.LinkSpec;
import java.time.Duration;

/** A file's link as a path: the fields it sets over the command line's path options. */
final class FileLinks {
    private FileLinks() {}

    static LinkOptions merge(ScenarioFile file, LinkSpec l, int index, Testbed tb) {
        LinkOptions p = tb.options().link();
        try {
            for (var e : l.fields().entrySet()) {
                Object v = e.getValue();
                p = switch (e.getKey()) {
                    case "rtt" -> p.withRtt((Duration) v);
                    case "loss" -> p.withLoss((Double) v);
                    case "jitter" -> p.withJitter((Duration) v);
                    case "reorder" -> p.withReorder((Double) v);
                    case "duplicate" -> p.withDuplicate((Double) v);
                    case "bandwidth" -> p.withBandwidth((Long) v);
                    case "queue" -> p.withQueue((int) (long) (Long) v);
                    case "mtu" -> p.withMtu((int) (long) (Long) v);
                    default -> throw new IllegalStateException("no link field " + e.getKey());
                };
            }
            if (tb.options().ipv6() && p.mtu() < 1280) throw new OptionException("mtu", p.mtu() + " is under IPv6's minimum link MTU of 1280 bytes (RFC 8200)");
            return p;
        } catch (OptionException e) {
            throw new FileError(file.source(), l.line(), "links[" + index + "]." + e.field(), e.reason());
        }
    }
}
