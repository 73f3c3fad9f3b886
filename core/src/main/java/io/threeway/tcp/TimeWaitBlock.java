package io.threeway.tcp;

/**
 * What TIME-WAIT's processing ({@link TimeWait}) needs of a connection in TIME-WAIT, whoever holds it: the full
 * connection while its application still holds the socket, or the host's compact record (Linux's
 * inet_timewait_sock) once the connection is orphaned. The rules live once, in {@link TimeWait}.
 */
public interface TimeWaitBlock {

    /** The highest sequence number sent plus one: the sequence number of our ACKs. */
    int sndMax();

    /** RCV.NXT: the peer's FIN included. */
    int rcvNxt();

    /** Timestamps were agreed. */
    boolean timestamps();

    /** TS.Recent. */
    int tsRecent();

    /** When TS.Recent was last updated (ns). */
    long tsRecentTime();

    /** A newer TSval: TS.Recent follows it. */
    void updateTsRecent(int tsVal, long now);

    /** TIME-WAIT starts again: 2·MSL from {@code deadline - TIME_WAIT_NANOS}, ending at {@code deadline}. */
    void restart(long deadline);

    /** Whether an ACK for an out-of-window segment must be skipped now (tcp_invalid_ratelimit). */
    boolean outOfWindowAckLimited(long now);

    /** Sends the ACK TIME-WAIT answers with: SND.MAX, RCV.NXT, the last window, timestamps. */
    void sendAck(long now);

    /** TIME-WAIT ends now (to CLOSED) for {@code cause}. */
    void end(String cause, long now);

    /** TIME_WAIT while it lasts, CLOSED once it ended. */
    TcpState state();
}
