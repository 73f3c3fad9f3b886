package io.threeway.lab.scenarios;

import io.threeway.wire.IpAddress;

/** The addresses the scenarios use: RFC 2544's benchmarking range, 198.18.0.0/15. */
final class Addresses {
    private Addresses() {}

    static final String CLIENT = "198.18.0.1";
    static final String SERVER = "198.18.0.2";
    /** An address on the server's link that no host holds: packets to it vanish without an answer. */
    static final String NOBODY = "198.18.0.3";
    static final IpAddress SERVER_IP = IpAddress.parse(SERVER);
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
}
