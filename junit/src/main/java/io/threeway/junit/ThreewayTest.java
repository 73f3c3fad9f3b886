package io.threeway.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) whose tests take a simulated {@link io.threeway.api.Network} and its
 * {@link io.threeway.api.Host}s as parameters ({@link ThreewayExtension}):
 *
 * <pre>{@code
 * @ThreewayTest(seed = 42)
 * class ClientTest {
 *     @Test
 *     void retriesAfterAReset(Network net, @HostName("client") Host client, @HostName("api.test") Host server) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ThreewayExtension.class)
public @interface ThreewayTest {
    /**
     * The network's seed.
     *
     * @return the seed (1 unless given)
     */
    long seed() default 1;

    /**
     * Whether the run is {@linkplain io.threeway.api.Network#seal() sealed}.
     *
     * @return true to refuse kernel sockets during the test
     */
    boolean sealed() default false;
}
