package io.threeway.tcp;

/**
 * What a compact TIME-WAIT record keeps of a connection (Linux's inet_timewait_sock and tcp_timewait_sock): copied
 * by {@link TcpConnection#timeWaitState} when the host replaces an orphaned connection in TIME-WAIT.
 *
 * @param sndMax             the sequence number of our ACKs
 * @param rcvNxt             RCV.NXT
 * @param window             the raw window field our ACKs carry (the last window, shifted)
 * @param timestamps         timestamps were agreed
 * @param tsRecent           TS.Recent
 * @param tsRecentTime       when TS.Recent was last updated (ns)
 * @param tsOffset           the offset of our TSvals (tcp_ts_off)
 * @param deadline           when TIME-WAIT ends (ns)
 * @param lastOutOfWindowAck when an out-of-window segment was last answered (ns), or Long.MIN_VALUE
 */
public record TimeWaitState(int sndMax, int rcvNxt, int window, boolean timestamps, int tsRecent, long tsRecentTime,
                            int tsOffset, long deadline, long lastOutOfWindowAck) {}
