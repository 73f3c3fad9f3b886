package io.threeway.tcp.recovery;

import io.threeway.wire.TcpSegment;

/**
 * How a sender detects and repairs losses, apart from how much it may send (congestion control, {@code tcp.cc})
 * and from building segments (the engine's, reached through {@link RecoverySender}). Today: {@link NewRenoRecovery}
 * (RFC 6582) for connections without SACK, {@link SackLossRecovery} (RFC 6675) once SACK information arrives.
 *
 * <p>The engine calls, for every acceptable ACK (SND.UNA =< SEG.ACK =< SND.MAX): {@link #onAckArrival} before
 * SND.UNA moves, then {@link #onAckProcessed} after; on a retransmission timeout {@link #onRetransmitTimeout};
 * for every data segment it sends {@link #onTransmit}; and it keeps {@link #deadline} among the connection's
 * timers, calling {@link #onDeadline} when it falls due. The last three are what RACK-TLP (RFC 8985) needs: the
 * send time of each segment for RACK's time-based loss detection, and a timer of its own for RACK's reordering
 * window and TLP's probe timeout; NewReno and RFC 6675 leave them at their defaults.
 */
public interface LossRecovery {

    /**
     * An acceptable ACK arrived, before SND.UNA moves to it: update what is known about the data in flight (the
     * SACK scoreboard, the newest delivered segment). Returns whether the congestion window may grow for the data
     * it acknowledges (not while recovering).
     */
    boolean onAckArrival(TcpSegment seg, long now);

    /**
     * Whether a cumulative ACK restarts the retransmission timer (RFC 6298 §5.3), or leaves it running as RFC 6582
     * §4.1's "Impatient" variant does after the first partial acknowledgment.
     */
    boolean restartsTimerOnAck();

    /**
     * The ACK has been processed: SND.UNA moved by {@code ackedBytes} (0 when it did not), and {@code duplicate}
     * says whether it is a duplicate ACK by RFC 5681 §2's definition. Enter, continue or leave recovery,
     * retransmitting through the {@link RecoverySender}.
     */
    void onAckProcessed(int ackedBytes, boolean duplicate, long now);

    /** The retransmission timer expired: recovery ends, and the sender goes back to SND.UNA (RFC 6675 §5.1). */
    void onRetransmitTimeout(long now);

    /** Whether a loss recovery episode is under way. */
    boolean inRecovery();

    /** Duplicate ACKs counted outside recovery, for limited transmit (RFC 3042); 0 while recovering. */
    int limitedTransmitDupAcks();

    /** Whether recovery, not the ordinary output loop, decides what is sent now (RFC 6675 §5 step (C)). */
    boolean drivesTransmission();

    /** Whether this recovery keeps a SACK scoreboard (so the engine need not switch to one). */
    boolean usesSack();

    /**
     * Going back after a timeout: the first sequence number from {@code sndNxt} the peer has not reported as
     * received (RFC 6675 §5.1 skips SACKed data), at most {@code sndMax}, moving in steps of {@code mss}.
     */
    int skipDelivered(int sndNxt, int sndMax, int mss);

    /** Bytes in [{@code from}, {@code to}) the peer has SACKed (none without a scoreboard). */
    default int sackedBetween(int from, int to) {
        return 0;
    }

    /** A data segment [{@code seq}, {@code seq + len}) went out, first time or again, at {@code now}. */
    default void onTransmit(int seq, int len, boolean retransmission, long now) { }

    /** When recovery's own timer (RACK's reordering timer, TLP's probe timeout) falls due; Long.MAX_VALUE for none. */
    default long deadline() {
        return Long.MAX_VALUE;
    }

    /** Recovery's own timer fell due. */
    default void onDeadline(long now) { }

    /**
     * Linux's icsk_ca_state as far as loss recovery decides it ({@link CaState}: Open, Disorder, Recovery, Loss);
     * the sender reports CWR itself (an ECN-Echo's reduction).
     */
    default int caState() {
        return inRecovery() ? CaState.RECOVERY : CaState.OPEN;
    }

    /**
     * A timeout's loss episode was undone (tcp_try_undo_loss: the state is TCP_CA_Open again): what the timeout set
     * up to keep recovery from starting again below the data it marked lost no longer applies.
     */
    default void onLossUndone() { }
}
