package io.threeway.host;

import io.threeway.wire.FourTuple;

/**
 * Reads the SYN cookies one stack made, with its secrets: for tools that explain a run after the fact (the web
 * lab's segment inspector decodes a cookie SYN-ACK field by field as the server checks it). Holds only the
 * two keys; never used by the stack itself.
 */
public final class SynCookieReader {
    /** The stack's cookie secrets. */
    private final SynCookies cookies;

    SynCookieReader(SynCookies cookies) {
        this.cookies = cookies;
    }

    /**
     * The cookie {@code cookie} (the SYN-ACK's ISS, or a returning SEG.ACK - 1) for the SYN with ISN
     * {@code peerIsn} from four-tuple {@code t} (seen from the server), taken apart as the server checks it at
     * {@code now} (stack time, ns).
     */
    public SynCookieFields read(FourTuple t, int cookie, int peerIsn, long now) {
        return cookies.read(t, cookie, peerIsn, now);
    }
}
