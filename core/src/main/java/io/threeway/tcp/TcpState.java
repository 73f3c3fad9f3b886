package io.threeway.tcp;

/** The eleven states of RFC 9293 §3.3.2, with the names ss prints. */
public enum TcpState {
    CLOSED("UNCONN"),
    LISTEN("LISTEN"),
    SYN_SENT("SYN-SENT"),
    SYN_RECEIVED("SYN-RECV"),
    ESTABLISHED("ESTAB"),
    FIN_WAIT_1("FIN-WAIT-1"),
    FIN_WAIT_2("FIN-WAIT-2"),
    CLOSE_WAIT("CLOSE-WAIT"),
    CLOSING("CLOSING"),
    LAST_ACK("LAST-ACK"),
    TIME_WAIT("TIME-WAIT");

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
