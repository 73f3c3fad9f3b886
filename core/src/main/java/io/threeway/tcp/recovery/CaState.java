package io.threeway.tcp.recovery;

import io.threeway.tcp.cc.Prr;

/**
 * Linux's congestion-avoidance states (enum tcp_ca_state, {@code icsk_ca_state}, reported as {@code tcpi_ca_state}):
 * what the sender is doing about congestion and loss. The numbers are Linux's.
 */
public final class CaState {
    /** TCP_CA_Open: nothing suspicious. */
    public static final int OPEN = 0;
    /** TCP_CA_Disorder: SACKs or duplicate ACKs arrived, no loss decided yet (tcp_try_keep_open). */
    public static final int DISORDER = 1;
    /** TCP_CA_CWR: the window is being reduced after an ECN-Echo (tcp_enter_cwr). */
    public static final int CWR = Prr.CWR;
    /** TCP_CA_Recovery: fast recovery (tcp_enter_recovery). */
    public static final int RECOVERY = Prr.RECOVERY;
    /** TCP_CA_Loss: after a retransmission timeout, until what was outstanding then is acknowledged (tcp_enter_loss). */
    public static final int LOSS = 4;

    private CaState() {}
}
