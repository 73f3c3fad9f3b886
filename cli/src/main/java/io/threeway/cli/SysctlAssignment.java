package io.threeway.cli;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A checked {@code name=value} for a setting, as {@code --sysctl} takes it. */
public record SysctlAssignment(Sysctl sysctl, String value) {

    /** Parses and checks {@code name=value}; throws IllegalArgumentException with a one-line reason. */
    public static SysctlAssignment parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("expected NAME=VALUE, got '" + text + "'");
        String name = text.substring(0, eq).strip();
        Sysctl s = Sysctl.byName(name);
        if (s == null) throw new IllegalArgumentException("unknown setting '" + name + "'");
        String value = text.substring(eq + 1).strip();
        new Sysctls().set(s, value); // throws with the reason if the value does not fit
        return new SysctlAssignment(s, value);
    }

    public void applyTo(Sysctls sysctls) {
        sysctls.set(sysctl, value);
    }

    /** Picocli converter for {@link #parse}. */
    public static final class Converter implements ITypeConverter<SysctlAssignment> {
        @Override
        public SysctlAssignment convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
