package io.threeway.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a tool's option that needs a scenario's timeline, such as nstat's {@code --since TIME} (a virtual
 * moment of the run): a running {@code serve} has no such moment, so the option is not sent over its control
 * socket and {@code --control} refuses it. The options of the scenario mixins ({@link Snapshots},
 * {@link ScenarioOptionsMixin}) need no mark: they are known to be the scenario's.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface ScenarioOnly {
}
