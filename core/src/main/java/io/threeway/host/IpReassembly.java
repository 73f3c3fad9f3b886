package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IP fragments put back together, with Linux's limits (ip_defrag and ipv6_frag_rcv over inet_frag_queue):
 * fragments of one datagram (source, destination, identification, protocol) are held until all have come,
 * for at most {@code ipfrag_time} (IPv6: {@code ip6frag_time}) seconds, and no new datagram is started while
 * fragments hold more than {@code ipfrag_high_thresh} bytes. Counted as Linux counts them: every fragment in
 * {@code ReasmReqds}, every datagram rebuilt in {@code ReasmOKs}, every datagram given up in {@code ReasmFails}
 * (no room, a fragment overlapping another, conflicting ends, over 65,535 bytes), those that timed out also in
 * {@code ReasmTimeout}. An exact duplicate is dropped quietly (inet_frag_queue_insert's IPFRAG_DUP).
 *
 * <p>A datagram that times out after its first fragment came is answered as ip_expire and ip6_expire_frag_queue
 * answer it: ICMP "time exceeded", code 1 "fragment reassembly time exceeded" (ICMPv6 type 3 code 1), quoting the
 * first fragment (as much as icmp_send and icmpv6_send quote: up to 576 bytes of IPv4 message, 1,280 of IPv6),
 * from the address it was sent to; counted in {@code OutTimeExcds}. Not done: the ICMP rate limits
 * (icmp_ratelimit, icmp_msgs_per_sec) over these; IP options and IPv6 extension headers before the Fragment header
 * are not kept in the rebuilt packet (the stack reads neither).
 */
final class IpReassembly {
    /** Linux's IP_MAX_MTU: no datagram may be longer. */
    private static final int MAX_DATAGRAM = 65535;
    /** What a datagram's queue costs beyond its bytes (Linux charges each skb's truesize, not just its data). */
    private static final int QUEUE_OVERHEAD = 256;

    /** One datagram being reassembled. */
    private record Key(boolean v6, long srcHi, long srcLo, long dstHi, long dstLo, int id, int protocol) {}

    /** The fragments of one datagram so far. */
    private static final class Queue {
        /** When it is given up (ns). */
        final long deadline;
        /** The datagram's bytes after the IP header, as far as they have come. */
        byte[] data = new byte[0];
        /** Received ranges, sorted and disjoint: [starts[i], ends[i]). */
        int[] starts = new int[4];
        int[] ends = new int[4];
        int ranges;
        /** The datagram's length once its last fragment came, else -1. */
        int length = -1;
        /** TTL and TOS of the first fragment, for the rebuilt header. */
        int ttl;
        int trafficClass;
        /** The first fragment (offset 0) as an ICMP error quotes it, once it came; null before. */
        byte[] firstQuote;

        Queue(long deadline) {
            this.deadline = deadline;
        }
    }

    /** What the fragment's header says, filled by {@link #fragmentFields}. */
    private int offset;
    private boolean more;
    private int id;

    /** The largest ICMP message (type, code, checksum, 4 bytes, quote) icmp_send makes: 576 bytes less the IPv4 header. */
    private static final int ICMP_MAX = 576 - Ipv4Header.LENGTH;
    /** The same for icmpv6_send: the IPv6 minimum MTU less its header. */
    private static final int ICMP6_MAX = 1280 - Ipv6Header.LENGTH;
    /** ICMP time exceeded (RFC 792) and ICMPv6's (RFC 4443 §3.3), code 1: fragment reassembly time exceeded. */
    private static final int TIME_EXCEEDED = 11;
    private static final int V6_TIME_EXCEEDED = 3;
    private static final int FRAGMENT_REASSEMBLY = 1;

    /** The stack, which sends the ICMP errors. */
    private final Stack stack;
    /** The host's settings. */
    private final Sysctls sysctls;
    /** Its counters. */
    private final Counters counters;
    /** Datagrams in arrival order, which is their deadlines' order. */
    private final LinkedHashMap<Key, Queue> queues = new LinkedHashMap<>();
    /** Bytes held by all queues (data arrays plus overhead), against ipfrag_high_thresh. */
    private long memory;

    IpReassembly(Stack stack, Sysctls sysctls, Counters counters) {
        this.stack = stack;
        this.sysctls = sysctls;
        this.counters = counters;
    }

    /** Bytes the queues hold now. */
    long memory() { return memory; }

    /** Datagrams being reassembled now. */
    int pending() { return queues.size(); }

    /**
     * A fragment whose headers were parsed into {@code ip} ({@code p} holds the packet): returns the whole
     * datagram as a new unfragmented packet once complete, else null.
     */
    byte[] add(byte[] p, IpPacket ip, long now) {
        counters.inc(Counter.IP_REASM_REQDS);
        fragmentFields(p, ip);
        if (ip.v6() && offset == 0 && !more) { // an atomic fragment (RFC 6946): not queued (ipv6_frag_rcv)
            counters.inc(Counter.IP_REASM_OKS);
            Queue whole = new Queue(now);
            whole.data = Arrays.copyOfRange(p, ip.payloadOffset, ip.payloadOffset + ip.payloadLength);
            whole.length = ip.payloadLength;
            whole.ttl = ip.ttl;
            whole.trafficClass = ip.trafficClass;
            return rebuild(ip, whole);
        }
        int len = ip.payloadLength;
        if (more) len &= ~7; // ip_frag_queue: every fragment but the last carries a multiple of 8 bytes
        int end = offset + len;
        Key key = new Key(ip.v6(), ip.srcHi, ip.srcLo, ip.dstHi, ip.dstLo, id, ip.protocol);
        Queue q = queues.get(key);
        if (q == null) {
            long thresh = sysctls.get(ip.v6() ? Sysctl.IP6FRAG_HIGH_THRESH : Sysctl.IPFRAG_HIGH_THRESH);
            if (memory > thresh || thresh == 0) { // inet_frag_alloc refuses a new queue
                counters.inc(Counter.IP_REASM_FAILS);
                return null;
            }
            long seconds = sysctls.get(ip.v6() ? Sysctl.IP6FRAG_TIME : Sysctl.IPFRAG_TIME);
            q = new Queue(now + seconds * 1_000_000_000L);
            q.ttl = ip.ttl;
            q.trafficClass = ip.trafficClass;
            queues.put(key, q);
            memory += QUEUE_OVERHEAD;
        }
        if (offset == 0 && q.firstQuote == null) { // INET_FRAG_FIRST_IN: keep what an ICMP error would quote
            q.firstQuote = Arrays.copyOfRange(p, ip.headerOffset, Math.min(ip.payloadOffset + ip.payloadLength,
                    ip.headerOffset + (ip.v6() ? ICMP6_MAX : ICMP_MAX) - 8));
            memory += q.firstQuote.length;
        }
        if (!insert(q, p, ip.payloadOffset, end, len, ip.v6() ? MAX_DATAGRAM : MAX_DATAGRAM - Ipv4Header.LENGTH)) {
            fail(key, q);
            return null;
        }
        if (q.length < 0 || q.ranges != 1 || q.starts[0] != 0 || q.ends[0] != q.length) return null;
        drop(key, q);
        counters.inc(Counter.IP_REASM_OKS);
        return rebuild(ip, q);
    }

    /** Reads offset, more-fragments and identification from the IPv4 header or the IPv6 Fragment header. */
    private void fragmentFields(byte[] p, IpPacket ip) {
        if (ip.v6()) {
            int fh = ip.payloadOffset - 8;
            int fo = Bytes.getU16(p, fh + 2);
            offset = fo & 0xFFF8;
            more = (fo & 1) != 0;
            id = Bytes.getInt(p, fh + 4);
        } else {
            int fo = Bytes.getU16(p, ip.headerOffset + 6);
            offset = (fo & 0x1FFF) * 8;
            more = (fo & 0x2000) != 0;
            id = ip.identification;
        }
    }

    /**
     * Adds the fragment [offset, end); false when the datagram must be given up: longer than {@code max}
     * (ip_frag_reasm's out_oversize), empty (ip_frag_queue: end == offset), conflicting with the end a last
     * fragment gave, or overlapping another fragment without being its exact duplicate.
     */
    private boolean insert(Queue q, byte[] p, int from, int end, int len, int max) {
        if (end > max || len == 0) return false;
        if (!more) {
            if (end < maxEnd(q) || (q.length >= 0 && end != q.length)) return false; // conflicting ends
            q.length = end;
        } else if (q.length >= 0 && end > q.length) {
            return false; // data past the end the last fragment gave
        }
        int at = 0;
        while (at < q.ranges && q.ends[at] <= offset) at++;
        if (at < q.ranges && q.starts[at] < end) {
            // inet_frag_queue_insert: an exact duplicate is dropped, any other overlap kills the queue (RFC 5722)
            return q.starts[at] == offset && q.ends[at] == end;
        }
        if (end > q.data.length) {
            int grown = Math.min(MAX_DATAGRAM, Math.max(end, q.data.length * 2));
            memory += grown - q.data.length;
            q.data = Arrays.copyOf(q.data, grown);
        }
        System.arraycopy(p, from, q.data, offset, len);
        addRange(q, at, offset, end);
        return true;
    }

    private static int maxEnd(Queue q) {
        return q.ranges == 0 ? 0 : q.ends[q.ranges - 1];
    }

    /** Inserts [s, e) at index {@code at}, merging with touching neighbours. */
    private static void addRange(Queue q, int at, int s, int e) {
        if (at > 0 && q.ends[at - 1] == s) {
            q.ends[at - 1] = e;
            if (at < q.ranges && q.starts[at] == e) {
                q.ends[at - 1] = q.ends[at];
                System.arraycopy(q.starts, at + 1, q.starts, at, q.ranges - at - 1);
                System.arraycopy(q.ends, at + 1, q.ends, at, q.ranges - at - 1);
                q.ranges--;
            }
            return;
        }
        if (at < q.ranges && q.starts[at] == e) {
            q.starts[at] = s;
            return;
        }
        if (q.ranges == q.starts.length) {
            q.starts = Arrays.copyOf(q.starts, q.ranges * 2);
            q.ends = Arrays.copyOf(q.ends, q.ranges * 2);
        }
        System.arraycopy(q.starts, at, q.starts, at + 1, q.ranges - at);
        System.arraycopy(q.ends, at, q.ends, at + 1, q.ranges - at);
        q.starts[at] = s;
        q.ends[at] = e;
        q.ranges++;
    }

    /** The datagram as one packet: a fresh IP header (no options) and the reassembled bytes. */
    private static byte[] rebuild(IpPacket ip, Queue q) {
        IpAddress src = ip.source();
        IpAddress dst = ip.destination();
        int header = ip.v6() ? Ipv6Header.LENGTH : Ipv4Header.LENGTH;
        byte[] out = new byte[header + q.length];
        if (ip.v6()) Ipv6Header.write(out, 0, src, dst, ip.protocol, q.length, q.ttl, q.trafficClass, 0);
        else Ipv4Header.write(out, 0, src, dst, ip.protocol, q.length, ip.identification, q.ttl, q.trafficClass);
        System.arraycopy(q.data, 0, out, header, q.length);
        return out;
    }

    private void fail(Key key, Queue q) {
        drop(key, q);
        counters.inc(Counter.IP_REASM_FAILS);
    }

    private void drop(Key key, Queue q) {
        queues.remove(key);
        memory -= cost(q);
    }

    /** What a queue holds against ipfrag_high_thresh. */
    private static long cost(Queue q) {
        return QUEUE_OVERHEAD + q.data.length + (q.firstQuote == null ? 0 : q.firstQuote.length);
    }

    /** Gives up the datagrams whose time ran out (ip_expire: ReasmFails and ReasmTimeout). */
    void expire(long now) {
        if (queues.isEmpty()) return; // the common case, without an iterator
        Iterator<Map.Entry<Key, Queue>> it = queues.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Queue> e = it.next();
            Queue q = e.getValue();
            if (q.deadline > now) break;
            it.remove();
            memory -= cost(q);
            counters.inc(Counter.IP_REASM_FAILS);
            counters.inc(Counter.IP_REASM_TIMEOUT);
            if (q.firstQuote != null) timeExceeded(e.getKey().v6(), q.firstQuote, now);
        }
    }

    /**
     * ip_expire's icmp_send(head, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0), or ip6_expire_frag_queue's icmpv6_send:
     * to the datagram's source, from the address it was sent to, quoting its first fragment.
     */
    private void timeExceeded(boolean v6, byte[] quote, long now) {
        byte[] msg = new byte[8 + quote.length];
        msg[0] = (byte) (v6 ? V6_TIME_EXCEEDED : TIME_EXCEEDED);
        msg[1] = FRAGMENT_REASSEMBLY;
        System.arraycopy(quote, 0, msg, 8, quote.length);
        IpAddress source = IpAddress.read(quote, v6 ? 8 : 12, v6);
        IpAddress destination = IpAddress.read(quote, v6 ? 24 : 16, v6);
        if (stack.sendIcmp(destination, source, msg, now)) {
            counters.inc(v6 ? Counter.ICMP6_OUT_MSGS : Counter.ICMP_OUT_MSGS);
            counters.inc(v6 ? Counter.ICMP6_OUT_TIME_EXCDS : Counter.ICMP_OUT_TIME_EXCDS);
        }
    }

    /** The earliest deadline, or Long.MAX_VALUE. */
    long nextDeadline() {
        if (queues.isEmpty()) return Long.MAX_VALUE;
        return queues.values().iterator().next().deadline;
    }
}
