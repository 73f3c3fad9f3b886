package io.threeway.socket;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * The registration of a Threeway channel with a {@link ThreewaySelector}: its interest set, set by any thread,
 * and its ready set, set by the selector's selection operations as the JDK's own keys are.
 */
final class ThreewaySelectionKey extends AbstractSelectionKey {
    /** The channel. */
    private final SelectableChannel channel;
    /** The selector. */
    private final ThreewaySelector selector;
    /** The operations of interest. */
    private volatile int interestOps;
    /** The operations found ready by the last selection that updated this key. */
    private volatile int readyOps;

    ThreewaySelectionKey(SelectableChannel channel, ThreewaySelector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    /** The channel's side the selector reads. */
    ThreewaySelectable selectable() {
        return (ThreewaySelectable) channel;
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    /**
     * Sets the interest set. As with the JDK's keys, a selection already blocked may or may not see the change;
     * the next one does.
     */
    @Override
    public SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) throw new IllegalArgumentException("Invalid interest ops: " + ops);
        interestOps = ops;
        return this;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    /** The interest set without the validity check (for the selector). */
    int interest() {
        return interestOps;
    }

    /** The ready set without the validity check (for the selector). */
    int ready() {
        return readyOps;
    }

    /** Sets the ready set (by the selector, during a selection). */
    void ready(int ops) {
        readyOps = ops;
    }

    private void ensureValid() {
        if (!isValid()) throw new CancelledKeyException();
    }

    @Override
    public String toString() {
        return "ThreewaySelectionKey[channel=" + channel + (isValid() ? ", interest=" + interestOps + ", ready=" + readyOps : ", cancelled") + "]";
    }
}
