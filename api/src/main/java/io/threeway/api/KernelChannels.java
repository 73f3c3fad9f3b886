package io.threeway.api;

import java.nio.channels.spi.SelectorProvider;

/**
 * Where {@link Sealed}'s guard gets the kernel's sockets outside sealed runs: the JDK's own NIO channels, whose
 * {@code socket()} adaptors are complete blocking {@code java.net} sockets (timeouts, options, half-close) that
 * the JDK makes without consulting the socket factories. The JDK's socket implementation proper
 * ({@code sun.nio.ch.NioSocketImpl}) is reachable only with {@code --add-opens java.base/java.net}, which a
 * test library should not demand.
 */
final class KernelChannels {
    private KernelChannels() {}

    /** The JDK's provider, found once. */
    private static final class Holder {
        /** The provider kernel sockets are opened with. */
        static final SelectorProvider PROVIDER = find();
    }

    /**
     * {@return the JDK's own selector provider}: {@code SelectorProvider.provider()} when that is the JDK's; when a
     * provider was installed with the system property (Threeway's NIO providers, started with the
     * {@code --add-exports java.base/sun.nio.ch} they need), the JDK's default behind it, so that a kernel socket
     * never becomes one of a host's channels; any other installed provider is used as it is.
     */
    static SelectorProvider provider() {
        return Holder.PROVIDER;
    }

    private static SelectorProvider find() {
        SelectorProvider installed = SelectorProvider.provider();
        if (installed.getClass().getModule() == Object.class.getModule()) return installed;
        try {
            Class<?> c = Class.forName("sun.nio.ch.DefaultSelectorProvider");
            return (SelectorProvider) c.getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return installed;
        }
    }
}
