package io.threeway.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name of the host a {@link io.threeway.api.Host} parameter stands for (and its name inside the network). Without
 * it, the parameter's own name is used when the test was compiled with {@code -parameters}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface HostName {
    /**
     * The host's name.
     *
     * @return e.g. {@code "api.test"}
     */
    String value();
}
