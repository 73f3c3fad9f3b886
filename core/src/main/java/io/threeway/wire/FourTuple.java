package io.threeway.wire;

/** A connection's identity: local address and port, remote address and port. */
public record FourTuple(IpAddress localAddress, int localPort, IpAddress remoteAddress, int remotePort) {

    public FourTuple reversed() {
        return new FourTuple(remoteAddress, remotePort, localAddress, localPort);
    }

    public boolean v6() {
        return localAddress.v6();
    }

    /** {@code 198.18.0.1:52431 > 198.18.0.2:80}. */
    @Override
    public String toString() {
        return endpoint(localAddress, localPort) + " > " + endpoint(remoteAddress, remotePort);
    }

    /** ss's form: {@code 198.18.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String endpoint(IpAddress a, int port) {
        return a.v6() ? "[" + a + "]:" + port : a + ":" + port;
    }
}
