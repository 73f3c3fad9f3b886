package io.threeway.sim;

import io.threeway.host.Host;
import io.threeway.host.PacketSink;
import io.threeway.host.TimerWheel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A host for simulator tests: logs what it receives, sends through a sink on demand, and runs periodic or
 * one-off timers in a {@link TimerWheel}.
 */
final class FakeHost implements Host {
    /** One received packet. */
    record Received(long time, byte[] bytes) {
        @Override
        public String toString() {
            return time + ":" + Arrays.hashCode(bytes);
        }
    }

    /** A timer: fires {@code action} and, if periodic, re-arms itself. */
    final class Timer extends TimerWheel.Entry {
        final long period;
        final Runnable action;

        Timer(long period, Runnable action) {
            this.period = period;
            this.action = action;
        }
    }

    private final String name;
    final List<Received> received = new ArrayList<>();
    final TimerWheel<Timer> timers = new TimerWheel<>();
    long advances;
    long timerFirings;
    PacketSink sink;
    private LongConsumer wakeup = d -> {};

    FakeHost(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        received.add(new Received(now, Arrays.copyOfRange(packet, offset, offset + length)));
    }

    @Override
    public void advance(long now) {
        advances++;
        timers.expire(now, t -> {
            timerFirings++;
            t.action.run();
            if (t.period > 0) timers.schedule(t, now + t.period);
        });
    }

    @Override
    public long nextDeadline() {
        return timers.nextDeadline();
    }

    @Override
    public void setWakeupListener(LongConsumer listener) {
        this.wakeup = listener;
    }

    /** Arms a timer at {@code at}, repeating every {@code period} ns if positive, and tells the driver. */
    Timer timer(long at, long period, Runnable action) {
        Timer t = new Timer(period, action);
        timers.schedule(t, at);
        wakeup.accept(timers.nextDeadline());
        return t;
    }

    void send(byte[] packet, long now) {
        sink.transmit(packet, packet.length, now);
    }
}
