package io.threeway.socket;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.AbstractSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A {@link java.nio.channels.Selector} over Threeway channels: epoll on the stack. A blocked selection waits, through
 * the stack's {@link SocketRuntime}, on the {@link WaitQueue}s of every registered channel's socket and on its
 * own (for {@link #wakeup()} and {@link #close()}), so in the simulator the selecting thread parks in virtual
 * time and an event on one of ten thousand idle channels re-checks this selector once.
 *
 * <p>It keeps the JDK's rules (Linux's {@code EPollSelectorImpl}): a key with an empty interest set is never
 * selected; a key already in the selected-key set gets the newly ready operations added to its ready set,
 * otherwise its ready set is replaced; the count returned is the number of keys whose ready sets were updated;
 * cancelled keys are deregistered at the start and end of each selection; {@code wakeup()} before a selection
 * makes the next one return at once; an interrupted thread's selection returns at once with its interrupt status
 * still set. It takes the channels of any host of the same runtime (one simulated network).
 */
final class ThreewaySelector extends AbstractSelector {
    /** The runtime its channels' stacks run in. */
    private final SocketRuntime runtime;
    /** The key set. */
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    /** What {@link #keys()} returns. */
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    /** The selected-key set; selection operations update it holding its monitor. */
    private final Set<SelectionKey> selected = new HashSet<>();
    /** What {@link #selectedKeys()} returns. */
    private final Set<SelectionKey> publicSelected = new UngrowableSet<>(selected);
    /** Woken by {@link #wakeup()}, {@link #close()} and the end of a selection. */
    private final WaitQueue own = new WaitQueue();
    /** {@link #wakeup()} was called since the last selection returned. */
    private volatile boolean wakeupPending;
    /** The thread in a selection operation, or null. */
    private volatile Thread selecting;

    ThreewaySelector(ThreewaySelectorProvider provider) {
        super(provider);
        this.runtime = provider.sockets().runtime();
    }

    /** The runtime whose channels this selector takes. */
    SocketRuntime runtime() {
        return runtime;
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return selectUntil(SocketCore.NONBLOCKING);
    }

    @Override
    public int select() throws IOException {
        return selectUntil(Long.MAX_VALUE);
    }

    /** Selects, waiting at most {@code timeout} ms of the runtime's time (0: without limit). */
    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("Negative timeout");
        if (timeout == 0) return selectUntil(Long.MAX_VALUE);
        long now = runtime.now();
        return selectUntil(now + Math.min(timeout, Long.MAX_VALUE / 2_000_000L) * 1_000_000L);
    }

    /**
     * Makes the selection blocked now, or the next one, return at once. Any thread may call it, even one the
     * runtime does not manage.
     */
    @Override
    public ThreewaySelector wakeup() {
        wakeupPending = true;
        if (selecting != null) runtime.wakeFromAnyThread(own);
        return this;
    }

    /** One selection operation, waiting until {@code deadline} ({@link SocketCore#NONBLOCKING}: not at all). */
    private int selectUntil(long deadline) throws IOException {
        ensureOpen();
        runtime.join();
        enter();
        try {
            processCancelledKeys();
            if (deadline != SocketCore.NONBLOCKING) await(deadline);
            wakeupPending = false;
            if (!isOpen()) return 0;
            processCancelledKeys();
            int n = runtime.call(this::updateSelectedKeys);
            processCancelledKeys();
            return n;
        } finally {
            leave();
        }
    }

    /**
     * Becomes the selecting thread. A selection already under way on another thread is waited for (the JDK's
     * selection operations synchronize on the selector); the same thread selecting again from inside a
     * selection is an error, as in the JDK.
     */
    private void enter() throws IOException {
        Thread me = Thread.currentThread();
        if (selecting == me) throw new IllegalStateException("select in progress");
        while (true) {
            synchronized (own) {
                if (selecting == null) {
                    selecting = me;
                    return;
                }
            }
            try {
                runtime.await(own, () -> selecting == null || !isOpen(), Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ensureOpen();
        }
    }

    private void leave() {
        synchronized (own) {
            selecting = null;
        }
        runtime.run(() -> {
            if (!own.isEmpty()) runtime.wake(own); // another thread waits to select
        });
    }

    /** Waits until a registered channel is ready, {@link #wakeup()}, close, an interrupt, or the deadline. */
    private void await(long deadline) {
        List<WaitQueue> queues = new ArrayList<>(keys.size() + 1);
        queues.add(own);
        for (SelectionKey k : keys) if (k.isValid()) queues.add(((ThreewaySelectionKey) k).selectable().core().waiters);
        BooleanSupplier ready = () -> wakeupPending || !isOpen() || anyReady();
        try {
            runtime.await(queues.toArray(new WaitQueue[0]), ready, deadline);
        } catch (InterruptedException e) {
            if (runtime.isClosed()) throw new RuntimeClosedError("the selector's network was closed");
            Thread.currentThread().interrupt(); // the JDK's selection returns at once, the status still set
        }
    }

    /** Whether some valid key has an operation of interest ready. Called with exclusive access. */
    private boolean anyReady() {
        for (SelectionKey k : keys) {
            ThreewaySelectionKey key = (ThreewaySelectionKey) k;
            if (key.isValid() && (readyNow(key) & key.interest()) != 0) return true;
        }
        return false;
    }

    /**
     * The ready operations epoll would report for {@code key} now, or 0 if it would report no event: only events
     * of interest (EPOLLIN for OP_READ and OP_ACCEPT, EPOLLOUT for OP_WRITE and OP_CONNECT), errors and hang-ups.
     */
    private static int readyNow(ThreewaySelectionKey key) {
        int interest = key.interest();
        if (interest == 0) return 0;
        int mask = key.selectable().core().poll();
        int wanted = Poll.ERR | Poll.HUP;
        if ((interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) wanted |= Poll.IN;
        if ((interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) wanted |= Poll.OUT;
        if ((mask & wanted) == 0) return 0;
        return key.selectable().readyOps(mask, interest);
    }

    /** Updates the selected-key set as the JDK's processReadyEvents does; returns the keys updated. */
    private int updateSelectedKeys() {
        int n = 0;
        synchronized (selected) {
            for (SelectionKey k : keys) {
                ThreewaySelectionKey key = (ThreewaySelectionKey) k;
                if (!key.isValid()) continue;
                int ops = readyNow(key);
                if (ops == 0) continue;
                if (selected.contains(key)) {
                    int old = key.ready();
                    if ((ops & ~old) != 0) {
                        key.ready(old | ops);
                        n++;
                    }
                } else {
                    key.ready(ops);
                    if ((ops & key.interest()) != 0) {
                        selected.add(key);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Deregisters the keys cancelled since the last selection. */
    private void processCancelledKeys() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            if (cancelled.isEmpty()) return;
            for (SelectionKey k : cancelled) {
                keys.remove(k);
                synchronized (selected) {
                    selected.remove(k);
                }
                deregister((AbstractSelectionKey) k);
            }
            cancelled.clear();
        }
    }

    /**
     * Registers a Threeway channel of this selector's runtime (the JDK throws IllegalSelectorException for a
     * channel of another provider's kind).
     */
    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof ThreewaySelectable s) || s.core().runtime != runtime) throw new IllegalSelectorException();
        ensureOpen();
        ThreewaySelectionKey k = new ThreewaySelectionKey(ch, this);
        k.attach(att);
        keys.add(k);
        k.interestOps(ops);
        if (!isOpen()) {
            keys.remove(k);
            k.cancel();
            throw new ClosedSelectorException();
        }
        return k;
    }

    /** Wakes a blocked selection, then cancels and deregisters every key. */
    @Override
    protected void implCloseSelector() throws IOException {
        runtime.wakeFromAnyThread(own);
        for (SelectionKey k : keys) {
            k.cancel();
            deregister((AbstractSelectionKey) k);
        }
        keys.clear();
        cancelledKeys().clear();
        synchronized (selected) {
            selected.clear();
        }
    }

    private void ensureOpen() {
        if (!isOpen()) throw new ClosedSelectorException();
    }

    @Override
    public String toString() {
        return "ThreewaySelector[" + (isOpen() ? keys.size() + " keys" : "closed") + "]";
    }
}
