package io.threeway.tcp;

/** The eleven states of RFC 9293 §3.3.2, with the names ss prints. */
public enum TcpState {
    /** No connection (a socket not yet connected, or one whose connection has ended). */
    CLOSED("UNCONN"),
    /** Waiting for a connection request (a listener). */
    LISTEN("LISTEN"),
    /** Our SYN sent, waiting for the peer's SYN and its ACK. */
    SYN_SENT("SYN-SENT"),
    /** A SYN received and ours sent, waiting for the ACK of ours. */
    SYN_RECEIVED("SYN-RECV"),
    /** Open: data flows both ways. */
    ESTABLISHED("ESTAB"),
    /** We closed; our FIN is not yet acknowledged. */
    FIN_WAIT_1("FIN-WAIT-1"),
    /** We closed and our FIN is acknowledged; waiting for the peer's FIN. */
    FIN_WAIT_2("FIN-WAIT-2"),
    /** The peer closed; waiting for our application to close. */
    CLOSE_WAIT("CLOSE-WAIT"),
    /** Both closed at once; waiting for the ACK of our FIN. */
    CLOSING("CLOSING"),
    /** The peer closed, then we did; waiting for the ACK of our FIN. */
    LAST_ACK("LAST-ACK"),
    /** Both closed; waiting 2 MSL so that old duplicates die out and our last ACK can be repeated. */
    TIME_WAIT("TIME-WAIT");

    /** The name ss prints. */
    private final String ssName;

    TcpState(String ssName) {
        this.ssName = ssName;
    }

    /** The state as ss prints it ({@code ESTAB}, {@code TIME-WAIT}, ...). */
    public String ssName() {
        return ssName;
    }

    /** The state as RFC 9293 writes it ({@code SYN-RECEIVED}, {@code TIME-WAIT}, ...). */
    public String rfcName() {
        return name().replace('_', '-');
    }

    /** RFC 9293 "synchronized states": ESTABLISHED and every state after it. */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /** Counted in CurrEstab (ESTABLISHED or CLOSE-WAIT), as Linux counts it. */
    public boolean countsAsEstablished() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }

    /** The application may still send (its side is open). */
    public boolean canSend() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
