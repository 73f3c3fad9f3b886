package io.threeway.fuzz;

import io.threeway.host.Stack;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpProtocol;
import io.threeway.wire.Ipv4Header;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Two live stacks with a connection between them ({@link FuzzPair}), both applications sending, and the fuzzer
 * as the network and the applications: each byte picks a step: deliver the next real packet toward either stack
 * as it is, or with bytes of its headers changed (the checksums made right again, so the change reaches the TCP
 * and IP code rather than the checksum test), cut short, twice, or not at all; hold a packet back behind the
 * others; inject arbitrary bytes as a TCP segment on the connection's four-tuple; let time pass (timers fire); or
 * have an application read, write, shut down, close or abort. Invariants after every step and at the end: see
 * {@link FuzzPair}.
 */
final class StackPairTarget implements FuzzTarget {
    @Override
    public String name() { return "stack-pair"; }

    @Override
    public String description() { return "packets between two live stacks, reordered, dropped, duplicated, altered, forged"; }

    @Override
    public void fuzz(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int mode = in.nextByte();
        FuzzPair p = new FuzzPair((mode & 1) != 0, (mode & 2) != 0, (mode & 4) != 0 ? 4096 : -1);
        p.write(p.ca, 20_000);
        p.write(p.cb, 20_000);
        for (int steps = 0; in.remaining() > 0 && steps < 96; steps++) {
            step(p, in);
            p.checkInvariants();
        }
        p.teardown();
    }

    private static void step(FuzzPair p, FuzzInput in) {
        boolean towardB = in.nextBoolean();
        Stack to = towardB ? p.b : p.a;
        ArrayDeque<byte[]> q = towardB ? p.toB : p.toA;
        switch (in.nextByte() % 10) {
            case 0, 1 -> p.deliverOne(to);
            case 2 -> deliverAltered(p, to, q, in);
            case 3 -> q.poll(); // lost
            case 4 -> { // held back behind the others
                byte[] head = q.poll();
                if (head != null) q.add(head);
            }
            case 5 -> p.inject(to, forged(p, towardB, in));
            case 6 -> p.advance(in.nextInt(0, 3000) * 1_000_000L * (in.nextBoolean() ? 1 : 100));
            case 7 -> application(p, towardB ? p.cb : p.ca, in);
            default -> {
                for (int n = in.nextByte() % 16; n > 0; n--) p.deliverOne(in.nextBoolean() ? p.a : p.b);
            }
        }
        p.userCallsDone();
    }

    /** The next packet for {@code to}, changed: header bytes rewritten, cut short, or delivered twice. */
    private static void deliverAltered(FuzzPair p, Stack to, ArrayDeque<byte[]> q, FuzzInput in) {
        byte[] packet = q.poll();
        if (packet == null) return;
        switch (in.nextByte() % 3) {
            case 0 -> {
                for (int n = 1 + in.nextByte() % 4; n > 0; n--) {
                    packet[in.nextInt(0, Math.min(packet.length, 60) - 1)] = (byte) in.nextByte();
                }
                fixChecksums(packet);
                p.inject(to, packet);
            }
            case 1 -> p.inject(to, Arrays.copyOf(packet, in.nextInt(0, packet.length)));
            default -> {
                p.inject(to, packet.clone());
                p.inject(to, packet);
            }
        }
    }

    /** Arbitrary bytes after a TCP header on the connection's four-tuple, in an IPv4 packet with both checksums right. */
    private static byte[] forged(FuzzPair p, boolean towardB, FuzzInput in) {
        TcpConnection from = towardB ? p.ca : p.cb;
        byte[] tail = in.nextBytes(in.nextInt(0, 80));
        int tcpLen = Math.max(20, tail.length + 4);
        byte[] packet = new byte[Ipv4Header.LENGTH + tcpLen];
        Ipv4Header.write(packet, 0, from.tuple().localAddress(), from.tuple().remoteAddress(), IpProtocol.TCP, tcpLen, 1);
        int t = Ipv4Header.LENGTH;
        packet[t] = (byte) (from.tuple().localPort() >>> 8);
        packet[t + 1] = (byte) from.tuple().localPort();
        packet[t + 2] = (byte) (from.tuple().remotePort() >>> 8);
        packet[t + 3] = (byte) from.tuple().remotePort();
        System.arraycopy(tail, 0, packet, t + 4, tail.length);
        FuzzStack.fixTransportChecksum(packet, from.tuple().localAddress(), from.tuple().remoteAddress(), IpProtocol.TCP);
        return packet;
    }

    /** An application's call on {@code c}. */
    private static void application(FuzzPair p, TcpConnection c, FuzzInput in) {
        switch (in.nextByte() % 6) {
            case 0, 1 -> p.readAll(c);
            case 2 -> p.write(c, in.nextInt(0, 50_000));
            case 3 -> p.shutdown(c);
            case 4 -> p.close(c, false);
            default -> p.close(c, true);
        }
    }

    /** After header bytes changed: the IPv4 header checksum, and the TCP checksum if it still is TCP over IPv4. */
    private static void fixChecksums(byte[] packet) {
        if (packet.length < Ipv4Header.LENGTH || (packet[0] >>> 4 & 0xF) != 4) return;
        FuzzStack.fixIpv4Checksum(packet);
        if ((packet[9] & 0xFF) == IpProtocol.TCP && (packet[0] & 0xF) == 5) {
            FuzzStack.fixTransportChecksum(packet, FuzzPair.addressAt(packet, 12), FuzzPair.addressAt(packet, 16), IpProtocol.TCP);
        }
    }
}
