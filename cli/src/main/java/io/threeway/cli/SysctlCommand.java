package io.threeway.cli;

import io.threeway.lab.SettingsFile;
import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.util.Comparator;

/**
 * {@code threeway sysctl}: Threeway's settings under Linux's sysctl names, printed the way sysctl(8) prints them.
 * Nothing is persisted: values set here only show how they read; the lab and bench commands take them through
 * {@code --sysctl NAME=VALUE}.
 */
@Command(name = "sysctl", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Show Threeway's settings, by Linux's sysctl names and with Linux's defaults.",
            "NAME=VALUE checks a value and shows the result; nothing is saved."},
        footer = {"",
            "Exit status: 0 if every name and value was valid, 1 otherwise (each problem is one line on stderr;",
            "the valid ones are still printed).",
            "",
            "Examples:",
            "  threeway sysctl net.ipv4.tcp_syncookies",
            "  threeway sysctl -a",
            "  threeway sysctl net.ipv4.tcp_syn_retries=2",
            "  threeway sysctl -w net.ipv4.tcp_congestion_control=reno",
            "  threeway sysctl net.ipv4.ip_local_port_range net.core",
            "  threeway sysctl --load my.conf -a"})
public final class SysctlCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = {"-a", "--all"}, description = "Print every setting, sorted by name.")
    boolean all;

    @Option(names = {"-n", "--values"}, description = "Print values only, without names.")
    boolean valuesOnly;

    @Option(names = {"-w", "--write"}, description = "Every argument is NAME=VALUE (as sysctl -w): set it and print it.")
    boolean write;

    @Option(names = {"-p", "--load"}, paramLabel = "FILE",
            description = "Apply a settings file first: 'name = value' a line, '#' or ';' comments. "
                    + "Prints the settings it applied unless names or -a are given.")
    Path load;

    @Parameters(paramLabel = "NAME[=VALUE]", arity = "0..*",
            description = "A setting to show, e.g. net.ipv4.tcp_syncookies (dots or slashes); NAME=VALUE sets it first.")
    List<String> names = new ArrayList<>();

    public SysctlCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        if (!all && load == null && names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "name a setting, or use -a to print them all");
        }
        Sysctls sysctls = new Sysctls();
        int[] status = {0};
        if (load != null) {
            List<Sysctl> applied = SettingsFile.load(load, sysctls, problem -> {
                error(problem);
                status[0] = 1;
            });
            if (!all && names.isEmpty()) applied.forEach(s -> print(sysctls, s));
        }
        for (String arg : names) {
            int eq = arg.indexOf('=');
            String name = (eq < 0 ? arg : arg.substring(0, eq)).strip();
            if (write && eq < 0) {
                error("\"" + name + "\" must be of the form name=value");
                status[0] = 1;
                continue;
            }
            Sysctl s = Sysctl.byName(name);
            if (s == null && eq < 0 && !under(name).isEmpty()) {
                if (!all) under(name).forEach(x -> print(sysctls, x));
                continue;
            }
            if (s == null) {
                error("cannot stat /proc/sys/" + name.replace('.', '/') + ": No such file or directory");
                status[0] = 1;
                continue;
            }
            if (eq >= 0) {
                try {
                    sysctls.set(s, arg.substring(eq + 1));
                } catch (IllegalArgumentException e) {
                    error(e.getMessage());
                    status[0] = 1;
                    continue;
                }
            }
            if (!all) print(sysctls, s);
        }
        if (all) {
            for (String line : sysctls.all()) terminal.out().println(valuesOnly ? value(line) : line);
        }
        terminal.out().flush();
        return status[0];
    }

    /**
     * The settings under {@code prefix}, whole name components only ({@code net.ipv4} holds
     * {@code net.ipv4.tcp_syncookies}; {@code net.ipv4.tcp_syn} holds nothing), sorted as sysctl -a sorts.
     */
    static List<Sysctl> under(String prefix) {
        String p = prefix.strip().replace('/', '.');
        while (p.endsWith(".")) p = p.substring(0, p.length() - 1);
        String dotted = p + ".";
        List<Sysctl> out = new ArrayList<>();
        for (Sysctl s : Sysctl.values()) if (!p.isEmpty() && s.sysctlName().startsWith(dotted)) out.add(s);
        out.sort(Comparator.comparing(Sysctl::sysctlName));
        return out;
    }

    private void print(Sysctls sysctls, Sysctl s) {
        String line = sysctls.line(s);
        terminal.out().println(valuesOnly ? value(line) : line);
    }

    private static String value(String line) {
        return line.substring(line.indexOf(" = ") + 3);
    }

    private void error(String message) {
        terminal.out().flush();
        terminal.err().println("threeway sysctl: " + message);
        terminal.err().flush();
    }
}
