package io.threeway.socket;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A Threeway socket's output: blocking writes into the connection's send buffer. There is no buffering of
 * its own, so {@link #flush()} sends nothing, as with the JDK's socket streams, except that it makes a
 * connect deferred by TCP_FASTOPEN_CONNECT.
 */
final class ThreewayOutputStream extends OutputStream {
    private final ThreewaySocketImpl impl;

    ThreewayOutputStream(ThreewaySocketImpl impl) {
        this.impl = impl;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        impl.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        impl.flush();
    }
}
