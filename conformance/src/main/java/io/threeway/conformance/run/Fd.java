package io.threeway.conformance.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** One file descriptor of the script's process: a socket, an epoll instance, a pipe end or a file. */
sealed interface Fd permits Socket, Fd.Epoll, Fd.Pipe, Fd.File {

    /**
     * An epoll instance: the descriptors it watches with their event masks, and for edge-triggered ones the
     * readiness last reported ({@code ep_poll_callback} fires on each new event, which a socket's wakeups stand for here).
     */
    final class Epoll implements Fd {
        /** fd → the events it was added with (EPOLLIN | EPOLLET ...). */
        final Map<Integer, Long> watched = new LinkedHashMap<>();
        /** fd → the wakeup count seen when it was last reported (edge-triggered), or -1: report at the next check. */
        final Map<Integer, Long> lastWakeup = new LinkedHashMap<>();
        /** fd → the 64-bit value the script registered ({@code fd=}, {@code ptr=}, {@code u32=}, {@code u64=}). */
        final Map<Integer, Long> data = new LinkedHashMap<>();
    }

    /** One end of a pipe; both ends share the bytes in flight. */
    final class Pipe implements Fd {
        /** The bytes written and not read, shared by both ends. */
        final long[] buffered;
        final boolean readEnd;

        Pipe(long[] buffered, boolean readEnd) {
            this.buffered = buffered;
            this.readEnd = readEnd;
        }
    }

    /** A file opened for reading (one the script's commands made with dd): its size and read offset. */
    final class File implements Fd {
        final String path;
        final long size;
        long offset;

        File(String path, long size) {
            this.path = path;
            this.size = size;
        }
    }
}
