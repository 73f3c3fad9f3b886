package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import java.util.TreeMap;

/**
 * The script's file descriptors. As packetdrill maps the fds a script names to the live ones, a new descriptor
 * takes the number the script expects the call to return (so {@code socket(...) = 4} makes fd 4 whatever is
 * free), else the lowest free number from 3.
 */
final class FdTable {
    private static final int FIRST_FD = 3;
    private final TreeMap<Integer, Fd> fds = new TreeMap<>();

    Fd get(int fd) {
        return fds.get(fd);
    }

    /** The socket at {@code fd}, or null when there is none (or it is not a socket). */
    Socket socket(int fd) {
        return fds.get(fd) instanceof Socket s ? s : null;
    }

    /** Adds {@code f} under the number {@code call} expects for its result (or the lowest free); returns it. */
    int add(Fd f, Event.Syscall call) {
        int fd = wanted(call.result());
        if (fd < 0 || fds.containsKey(fd)) fd = free(FIRST_FD);
        fds.put(fd, f);
        return fd;
    }

    /** Adds {@code f} under {@code want} if free, else the lowest free number. */
    int add(Fd f, int want) {
        int fd = want >= 0 && !fds.containsKey(want) ? want : free(FIRST_FD);
        fds.put(fd, f);
        return fd;
    }

    Fd remove(int fd) {
        return fds.remove(fd);
    }

    /** The number of an open descriptor, or -1. */
    int numberOf(Fd f) {
        for (var e : fds.entrySet()) if (e.getValue() == f) return e.getKey();
        return -1;
    }

    private int free(int from) {
        int fd = from;
        while (fds.containsKey(fd)) fd++;
        return fd;
    }

    private static int wanted(Expr result) {
        return result instanceof Expr.Num n && n.value() >= 0 && n.value() < Integer.MAX_VALUE ? (int) n.value() : -1;
    }
}
