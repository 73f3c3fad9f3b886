package io.threeway.cli;

import io.threeway.lab.LabOption;
import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * The lab's options on the command line, made from the lab's one catalogue ({@link LabOptions}): each field
 * becomes {@code --NAME VALUE} (a flag for on/off fields, repeatable where the field is), checked as it is parsed
 * with the catalogue's own check, so a bad value reads {@code Invalid value for option '--rtt': REASON} with the
 * same REASON the web lab shows; the values then go to {@link LabOptions#build} as typed. Installed into a
 * command as a picocli mixin named {@value #NAME}.
 */
public final class ScenarioOptionsMixin {
    /** The mixin's name in its command's spec. */
    static final String NAME = "scenarioOptions";
    /** The help order of a command's own options, after the catalogue's. */
    static final int AFTER = 1000;

    /** What the user typed, by field name: a String, a List of Strings (repeatable) or a Boolean (flag). */
    private final Map<String, Object> typed = new LinkedHashMap<>();

    /**
     * Adds {@code fields} to {@code command} as this mixin's options, except those named in {@code skip} (a tool's
     * own option of the same name, such as ss's {@code -6}).
     */
    void install(CommandSpec command, List<LabOption> fields, Set<String> skip) {
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(this);
        int order = 0;
        for (LabOption f : fields) {
            if (skip.contains(f.name())) continue;
            mixin.addOption(option(f, order++));
        }
        command.addMixin(NAME, mixin);
    }

    /** A field as an option; {@code order} places it in help (the command's own options come after, at {@value #AFTER}). */
    private OptionSpec option(LabOption f, int order) {
        List<String> names = new ArrayList<>();
        if (f.shortName() != null) names.add("-" + f.shortName());
        names.add(f.option());
        OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new))
                .description(literal(f.help() + (f.defaultValue() == null || f.type().kind() == ValueType.Kind.FLAG
                        ? "" : " (default: " + f.defaultValue() + ")")))
                .getter(getter(f.name())).setter(setter(f.name())).order(order);
        if (f.type().kind() == ValueType.Kind.FLAG) return b.type(boolean.class).arity("0").build();
        ITypeConverter<String> check = text -> {
            try {
                f.parse(text);
                return text;
            } catch (OptionException e) {
                throw new TypeConversionException(e.reason());
            }
        };
        b.paramLabel(f.type().label()).converters(check);
        if (f.repeatable()) return b.type(List.class).auxiliaryTypes(String.class).arity("1").build();
        return b.type(String.class).arity("1").build();
    }

    /** Text for picocli's help, which formats descriptions: a literal {@code %} is written {@code %%}. */
    static String literal(String text) {
        return text.replace("%", "%%");
    }

    private IGetter getter(String name) {
        return new IGetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get() {
                return (T) typed.get(name);
            }
        };
    }

    private ISetter setter(String name) {
        return new ISetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T set(T value) {
                return (T) (value == null ? typed.remove(name) : typed.put(name, value));
            }
        };
    }

    /** Sets a field as if typed on the command line ({@code -P NAME=VALUE}); repeatable fields collect. */
    void put(String name, String value) {
        Object old = typed.get(name);
        if (old instanceof List<?> l) {
            List<Object> more = new ArrayList<>(l);
            more.add(value);
            typed.put(name, more);
        } else {
            typed.put(name, value);
        }
    }

    /**
     * The options of a run of {@code scenario} from what was typed.
     *
     * @throws OptionException.OptionsException naming the field of each value the catalogue refuses
     */
    public ScenarioOptions toOptions(Scenario scenario) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (var e : typed.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Boolean flag) {
                if (flag) values.put(e.getKey(), List.of("true"));
            } else if (v instanceof List<?> list) {
                if (!list.isEmpty()) values.put(e.getKey(), list.stream().map(String::valueOf).toList());
            } else if (v != null) {
                values.put(e.getKey(), List.of(v.toString()));
            }
        }
        return LabOptions.build(scenario, values);
    }

    /** The mixin of a command that has one. */
    static ScenarioOptionsMixin of(CommandSpec command) {
        return (ScenarioOptionsMixin) command.mixins().get(NAME).userObject();
    }

    /**
     * Gives a tool command ({@code ss}, {@code nstat}, {@code netstat}) the lab's common options for its
     * {@code --scenario}, except {@code -6}/{@code --ipv6} (the tools' own address-family filter: the scenario's
     * is {@code -P ipv6=true}) and {@code --json} (a tool's own output format, where it has one).
     */
    public static final class ForTools implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            new ScenarioOptionsMixin().install(command, LabOptions.COMMON,
                    Set.of(LabOptions.IPV6.name(), LabOptions.JSON.name()));
            return command;
        }
    }
}
