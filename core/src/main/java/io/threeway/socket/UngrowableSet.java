package io.threeway.socket;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A view of a set that allows removal but not addition: a selector's selected-key set as its users see it
 * ({@link java.nio.channels.Selector#selectedKeys()}: "Keys may be removed from, but not directly added to").
 */
final class UngrowableSet<E> extends AbstractSet<E> {
    /** The set viewed. */
    private final Set<E> set;

    UngrowableSet(Set<E> set) {
        this.set = set;
    }

    @Override public int size() { return set.size(); }
    @Override public boolean isEmpty() { return set.isEmpty(); }
    @Override public boolean contains(Object o) { return set.contains(o); }
    @Override public Iterator<E> iterator() { return set.iterator(); }
    @Override public boolean remove(Object o) { return set.remove(o); }
    @Override public void clear() { set.clear(); }

    @Override
    public boolean add(E e) {
        throw new UnsupportedOperationException("keys may be removed from a selected-key set, not added to it");
    }
}
