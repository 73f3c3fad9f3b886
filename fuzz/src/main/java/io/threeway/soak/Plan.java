package io.threeway.soak;

import java.util.SplittableRandom;

/**
 * What the two applications of one conversation do: the client writes a request, the server reads all of it and
 * writes a response, and they close in one of the {@link Closing} orders, or one of them breaks off ({@link Abort}).
 * Readers may stall (a zero window when their buffer is small), writers and readers use chunks of random sizes,
 * and either side may wait before closing.
 *
 * @param request      bytes the client sends
 * @param response     bytes the server sends
 * @param closing      who closes first
 * @param abort        how the conversation breaks off, or {@link Abort#NONE}
 * @param abortAt      for an abort, after how many bytes received by the side that breaks off
 * @param stallAt      bytes received before the reader stops reading (-1: never), for {@code stallNanos}
 * @param stallNanos   how long it stops reading
 * @param stallClient  whether the stalling reader is the client (else the server)
 * @param thinkNanos   the server's wait between the request and its response
 * @param closeNanos   each side's wait before it closes, at most (a random part of it)
 * @param clientRcvBuf the client's SO_RCVBUF (-1: the default)
 * @param serverPort   which of the server's listeners (each with its own SO_RCVBUF: {@code Soak.RCVBUF_BY_PORT})
 * @param noDelay      TCP_NODELAY on both
 * @param chunk        the largest read or write at once
 */
record Plan(int request, int response, Closing closing, Abort abort, int abortAt, int stallAt, long stallNanos,
            boolean stallClient, long thinkNanos, long closeNanos, int clientRcvBuf, int serverPort, boolean noDelay,
            int chunk) {

    /** Who closes first in a conversation that ends normally. */
    enum Closing {
        /** The client closes once it has the response; the server closes at the EOF. */
        CLIENT_FIRST,
        /** The server closes after its response; the client at the EOF. */
        SERVER_FIRST,
        /** Each closes as soon as its part is done, without waiting for the other's FIN (they may cross: CLOSING). */
        BOTH,
        /** The client shuts down its sending side after the request; the server answers after the EOF and closes. */
        HALF_CLOSE
    }

    /** How a conversation breaks off. */
    enum Abort {
        NONE,
        /** The client aborts (RST) after {@code abortAt} bytes of the response. */
        CLIENT_RESET,
        /** The server aborts after {@code abortAt} bytes of the request. */
        SERVER_RESET,
        /** The client closes after {@code abortAt} bytes of the response with the rest still coming (RST on unread data). */
        CLIENT_CLOSE_EARLY
    }

    private static final long MS = 1_000_000L;

    /** A plan drawn from {@code r}. */
    static Plan draw(SplittableRandom r) {
        int request = size(r);
        int response = size(r);
        Closing closing = Closing.values()[r.nextInt(Closing.values().length)];
        Abort abort = r.nextInt(10) == 0 ? Abort.values()[1 + r.nextInt(Abort.values().length - 1)] : Abort.NONE;
        int abortOf = abort == Abort.SERVER_RESET ? request : response;
        int abortAt = r.nextInt(abortOf + 1);
        boolean stallClient = r.nextBoolean();
        int stallAt = r.nextInt(4) == 0 ? r.nextInt((stallClient ? response : request) + 1) : -1;
        long stall = r.nextLong(10_000 * MS);
        long think = r.nextInt(3) == 0 ? r.nextLong(2_000 * MS) : 0;
        long close = r.nextInt(3) == 0 ? r.nextLong(500 * MS) : 0;
        return new Plan(request, response, closing, abort, abortAt, stallAt, stall, stallClient, think, close,
                rcvBuf(r), r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0, r.nextBoolean(), 1 + r.nextInt(r.nextBoolean() ? 1460 : 65536));
    }

    /** A message size: often empty or small, sometimes up to a megabyte. */
    private static int size(SplittableRandom r) {
        return switch (r.nextInt(16)) {
            case 0, 1 -> 0;
            case 2, 3, 4, 5, 6, 7 -> r.nextInt(1, 2000);
            case 8, 9, 10, 11 -> r.nextInt(2000, 64_000);
            case 12, 13, 14 -> r.nextInt(64_000, 300_000);
            default -> r.nextInt(300_000, 1_000_000);
        };
    }

    /** SO_RCVBUF: usually the default, sometimes small enough to close the window. */
    private static int rcvBuf(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> 4096;
            case 1 -> 16384;
            default -> -1;
        };
    }
}
