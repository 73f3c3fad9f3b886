package io.threeway.wire;

import io.threeway.tcp.TcpState;

/**
 * A class that breaks the package map on purpose (test sources only): {@code wire} may use nothing, and this
 * uses {@code tcp}. {@code ArchitectureTest.aForbiddenDependencyFails} checks that the rules catch it.
 */
public final class ArchitectureFixture {
    private ArchitectureFixture() {}

    /** A dependency of {@code wire} on {@code tcp}. */
    public static String forbidden() {
        return TcpState.ESTABLISHED.ssName();
    }
}
