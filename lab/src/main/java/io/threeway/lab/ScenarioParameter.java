package io.threeway.lab;

import java.util.Objects;

/**
 * One of a scenario's own parameters, offered on the command line as {@code --NAME VALUE} and in the web lab
 * as a form field of its {@link ValueType}. The lab checks a value against its type before the scenario runs
 * (see {@link LabOptions#build}), so a scenario reads its parameters already valid.
 *
 * @param name         lower case with dashes, e.g. {@code rate}
 * @param type         the value's type and bounds: how it is parsed, checked and rendered
 * @param defaultValue the value when the user gives none, as typed ({@code 1000}, {@code 40s})
 * @param description  one sentence for {@code --help}: what it changes
 */
public record ScenarioParameter(String name, ValueType type, String defaultValue, String description) {

    public ScenarioParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        try {
            type.parse(defaultValue);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter " + name + ": bad default: " + e.getMessage(), e);
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ScenarioParameter integer(String name, long defaultValue, long min, long max, String description) {
        return new ScenarioParameter(name, ValueType.integer(min, max), Long.toString(defaultValue), description);
    }

    /** A duration from {@code min} to {@code max} (null: no upper limit), written as typed ({@code 40s}). */
    public static ScenarioParameter duration(String name, String defaultValue, String min, String max, String description) {
        Long hi = max == null ? null : Durations.parse(max).toNanos();
        return new ScenarioParameter(name, ValueType.duration(Durations.parse(min).toNanos(), hi), defaultValue, description);
    }

    /** A bit rate ({@code 100mbit}). */
    public static ScenarioParameter bitrate(String name, String defaultValue, String description) {
        return new ScenarioParameter(name, ValueType.bitrate(false), defaultValue, description);
    }

    /** One of a few words. */
    public static ScenarioParameter choice(String name, String defaultValue, String description, String... words) {
        return new ScenarioParameter(name, ValueType.choice(words), defaultValue, description);
    }

    /** Text with a syntax of its own, checked by the scenario. */
    public static ScenarioParameter text(String name, String defaultValue, String description) {
        return new ScenarioParameter(name, ValueType.text(), defaultValue, description);
    }

    /** The option as the command line offers it, for messages: {@code --rate}. */
    public String option() {
        return "--" + name;
    }
}
