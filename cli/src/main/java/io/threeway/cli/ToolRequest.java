package io.threeway.cli;

import io.threeway.tools.HostSnapshot;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.PicocliException;

/**
 * A request on the control socket: one line, the tool's name and its arguments separated by spaces, as they
 * would follow {@code threeway} on the command line without the scenario's flags:
 * <pre>
 * ss -t -a -n state time-wait
 * nstat -a -z TcpExtListenOverflows
 * netstat -s
 * </pre>
 * Both ends parse the arguments with the tool's own command ({@link SsCommand}, {@link NstatCommand},
 * {@link NetstatCommand}), so the client refuses what the server would, and the server answers with the
 * lines that command prints for one host of a scenario. Arguments cannot contain spaces (no tool argument
 * needs one).
 */
final class ToolRequest {
    private ToolRequest() {}

    /** The tools offered, in the order error messages list them. */
    private static final List<String> TOOLS = List.of("ss", "nstat", "netstat");

    /** The request line for the arguments {@code tool} has parsed: its name, its offered options, its positionals. */
    static String line(CommandSpec tool) {
        ParseResult parsed = tool.commandLine().getParseResult();
        List<String> words = new ArrayList<>();
        words.add(tool.name());
        for (OptionSpec o : parsed.matchedOptions()) {
            if (!offered(tool, o)) continue;
            words.add(o.shortestName());
            if (o.arity().max() > 0) words.addAll(o.originalStringValues()); // a flag's is "true"
        }
        for (PositionalParamSpec p : tool.positionalParameters()) words.addAll(p.originalStringValues());
        for (String w : words) {
            if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + w + "': arguments sent to --control cannot be empty or contain spaces");
            }
        }
        return String.join(" ", words);
    }

    /**
     * Whether {@code option} of {@code tool} is one a running stack can answer: the tool's own options, not
     * help, not a scenario's (from the {@link Snapshots} and {@link ScenarioOptionsMixin} mixins, among them
     * {@code --control} itself), not one marked {@link ScenarioOnly}, and none that takes a file (the serve may run
     * as root; a request must not make it open anything).
     */
    static boolean offered(CommandSpec tool, OptionSpec option) {
        if (option.usageHelp() || option.versionHelp()) return false;
        for (CommandSpec mixin : tool.mixins().values()) {
            for (OptionSpec m : mixin.options()) {
                if (m.longestName().equals(option.longestName())) return false;
            }
        }
        if (option.userObject() instanceof Field f && f.isAnnotationPresent(ScenarioOnly.class)) return false;
        Class<?> type = option.type();
        return !Path.class.isAssignableFrom(type) && !File.class.isAssignableFrom(type); // no file access
    }

    /**
     * The server's side: parses {@code line}, takes a snapshot (only for a valid request) and returns the
     * tool's lines for it.
     *
     * @throws IllegalArgumentException with a one-line reason, for any request that is not a valid one
     */
    static List<String> answer(String line, Supplier<HostSnapshot> snapshot) {
        List<String> words = Arrays.stream(line.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) throw new IllegalArgumentException("empty request; send a tool and its options, e.g. 'ss -tan'");
        HostTool tool = tool(words.getFirst());
        CommandLine cl = new CommandLine(tool);
        cl.setExpandAtFiles(false); // "@/etc/shadow" must stay a word: a request reads no file
        try {
            ParseResult parsed = cl.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            for (OptionSpec o : parsed.matchedOptions()) {
                if (!offered(cl.getCommandSpec(), o)) {
                    throw new IllegalArgumentException(words.getFirst() + ": " + o.longestName()
                            + " is not offered on a running stack");
                }
            }
            tool.check();
        } catch (PicocliException e) {
            throw new IllegalArgumentException(words.getFirst() + ": " + e.getMessage(), e);
        }
        return tool.lines(snapshot.get());
    }

    private static HostTool tool(String name) {
        Terminal silent = new Terminal(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        return switch (name) {
            case "ss" -> new SsCommand(silent);
            case "nstat" -> new NstatCommand(silent);
            case "netstat" -> new NetstatCommand(silent);
            default -> throw new IllegalArgumentException("unknown tool '" + name + "' (offered: "
                    + String.join(", ", TOOLS) + ")");
        };
    }
}
