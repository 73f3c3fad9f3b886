package io.threeway.lab;

import java.util.Objects;

/**
 * One field of a lab run's form: a common option of every scenario ({@code rtt}, {@code loss}, {@code sysctl}...)
 * or one of a scenario's own parameters, as {@link LabOptions#fields} lists them for the command line and the web
 * lab alike.
 *
 * @param name         the field's name, lower case with dashes; the command line's {@code --NAME}
 * @param shortName    a one-letter alias such as {@code 6} for {@code -6}, or null
 * @param type         how the value is parsed, checked and rendered
 * @param defaultValue the value when none is given, as typed (for this scenario: some scenarios set their own
 *                     defaults of common options), or null when there is none (a file not written)
 * @param help         one or two sentences: what it changes
 * @param repeatable   whether it may be given more than once ({@code --sysctl})
 * @param common       true for the options every scenario takes; false for a scenario's own parameter
 */
public record LabOption(String name, String shortName, ValueType type, String defaultValue, String help,
                        boolean repeatable, boolean common) {

    public LabOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
    }

    /** A common option. */
    static LabOption common(String name, ValueType type, String defaultValue, String help) {
        return new LabOption(name, null, type, defaultValue, help, false, true);
    }

    /** A scenario's parameter as a field. */
    static LabOption of(ScenarioParameter p) {
        return new LabOption(p.name(), null, p.type(), p.defaultValue(), p.description(), false, false);
    }

    /** This field with another default (a scenario's own default of a common option). */
    LabOption withDefault(String value) {
        return new LabOption(name, shortName, type, value, help, repeatable, common);
    }

    /**
     * This field as a scenario that refuses it shows it: its help says that, and why, and it has no default (a
     * value given is refused with {@code reason}).
     */
    LabOption refused(String scenario, String reason) {
        return new LabOption(name, shortName, type, null, "Refused by " + scenario + ": " + reason + ".", repeatable, common);
    }

    /** The field as the command line writes it: {@code --rtt}. */
    public String option() {
        return "--" + name;
    }

    /** Parses and checks a value; {@link OptionException} naming this field when it is not valid. */
    public Object parse(String text) {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new OptionException(name, e.getMessage());
        }
    }
}
