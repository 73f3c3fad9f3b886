package io.threeway.api;

import java.nio.channels.spi.SelectorProvider;

/** The JDK's own selector provider (the kernel's channels), for the providers a JVM is started with. */
final class JdkSelectorProvider {
    private JdkSelectorProvider() {}

    /**
     * The JDK's default provider, which {@code SelectorProvider.provider()} no longer returns once a provider is
     * installed with the system property.
     *
     * @param forWhom the class that needs it, named in the error
     * @throws IllegalStateException if it cannot be reached (the JVM lacks --add-exports java.base/sun.nio.ch)
     */
    static SelectorProvider get(Class<?> forWhom) {
        try {
            Class<?> c = Class.forName("sun.nio.ch.DefaultSelectorProvider");
            return (SelectorProvider) c.getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(forWhom.getName() + " needs the JVM option --add-exports"
                    + " java.base/sun.nio.ch=ALL-UNNAMED (or =io.threeway on the module path) to reach the JDK's own"
                    + " provider: " + e, e);
        }
    }
}
