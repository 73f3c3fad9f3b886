package io.threeway.socket;

import java.io.IOException;
import java.io.InputStream;

/**
 * A Threeway socket's input: blocking reads from the connection's receive buffer. {@code java.net.Socket}
 * wraps it so that closing the stream closes the socket.
 */
final class ThreewayInputStream extends InputStream {
    private final ThreewaySocketImpl impl;
    /** A read returned end of stream: later reads do so at once, as the JDK's streams do. */
    private boolean eof;
    /** The one byte of {@link #read()}, reused rather than allocated per call. */
    private final byte[] one = new byte[1];

    ThreewayInputStream(ThreewaySocketImpl impl) {
        this.impl = impl;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n > 0 ? one[0] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (eof) return -1;
        int n = impl.read(b, off, len);
        if (n < 0) eof = true;
        return n;
    }

    @Override
    public int available() throws IOException {
        return impl.available();
    }
}
