package io.threeway.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.util.ServiceConfigurationError;

/**
 * The {@code threeway} command.
 *
 * <p>Exit status: 0 success; 1 the command ran and failed (an unknown or invalid setting in {@code sysctl}, an
 * I/O error, an internal error); 2 bad usage or input (unknown option, invalid value) or a feature that is not
 * available yet. Errors print one line on standard error, never a stack trace (set {@code THREEWAY_DEBUG=1} to
 * see the stack trace of an internal error).
 */
@Command(name = "threeway",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // subcommands get --help and --version too
        versionProvider = VersionCommand.Provider.class,
        description = "Threeway: a user-space TCP/IP stack for the JVM, and a lab for TCP's handshake and lifecycle.",
        footer = {"", "Run 'threeway COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {

    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }

    /** Runs the command line in this process and returns its exit status. */
    public static int run(Terminal terminal, String... args) {
        try {
            return commandLine(terminal).execute(args);
        } catch (RuntimeException | ServiceConfigurationError e) {
            // A broken class path or scenario registry (two scenarios with one name, a listed class missing).
            terminal.err().println("threeway: internal error: " + e);
            if (System.getenv("THREEWAY_DEBUG") != null) e.printStackTrace(terminal.err());
            terminal.err().flush();
            return EXIT_FAILURE;
        }
    }

    /** The configured command tree, printing to {@code terminal}. */
    public static CommandLine commandLine(Terminal terminal) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new SysctlCommand(terminal));
        // new CommandLine(...) so that the tools' model transformer adds the lab's options (addSubcommand(Object) would not)
        cl.addSubcommand(new CommandLine(new SsCommand(terminal)));
        cl.addSubcommand(new CommandLine(new NstatCommand(terminal)));
        cl.addSubcommand(new CommandLine(new NetstatCommand(terminal)));
        cl.addSubcommand(new DumpCommand(terminal));
        cl.addSubcommand(LabCommand.commandLine(terminal));
        cl.addSubcommand(BenchCommand.commandLine(terminal));
        cl.addSubcommand(new ServeCommand(terminal));
        cl.addSubcommand(new UiCommand(terminal));
        cl.addSubcommand(new CurlCommand(terminal));
        cl.addSubcommand(new ConformanceCommand(terminal));
        cl.addSubcommand(new FuzzCommand(terminal));
        cl.addSubcommand(new SoakCommand(terminal));
        cl.addSubcommand(new VersionCommand(terminal));
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setOut(writer(terminal.out()));
        cl.setErr(writer(terminal.err()));
        cl.setParameterExceptionHandler(Main::onParameterError);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> onExecutionError(ex, commandLine));
        return cl;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    private static PrintWriter writer(PrintStream stream) {
        Charset cs = stream.charset();
        return new PrintWriter(new OutputStreamWriter(stream, cs), true);
    }

    /** Unknown options, invalid values, missing parameters: the message, suggestions, and where to get help. */
    static int onParameterError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + message(ex, cl));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The error's message; an unknown word where a command with subcommands expects one is named as what it is
     * ("unknown scenario 'x'", "unknown command 'x'") rather than as picocli's "Unmatched argument at index 1".
     */
    private static String message(ParameterException ex, CommandLine cl) {
        if (ex instanceof UnmatchedArgumentException u && !cl.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().getFirst();
            if (!word.startsWith("-")) {
                return cl.getCommandSpec().name().equals("lab")
                        ? "unknown scenario '" + word + "' (see 'threeway lab list')"
                        : "unknown command '" + word + "'";
            }
        }
        return ex.getMessage();
    }

    /** Exceptions thrown while a command runs. */
    static int onExecutionError(Exception ex, CommandLine cl) {
        PrintWriter err = cl.getErr();
        int status;
        if (ex instanceof IllegalArgumentException || ex instanceof UnsupportedOperationException) {
            err.println("threeway: " + message(ex));
            status = EXIT_USAGE;
        } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            err.println("threeway: " + message(ex));
            status = EXIT_FAILURE;
        } else {
            err.println("threeway: internal error: " + ex);
            if (System.getenv("THREEWAY_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("threeway: set THREEWAY_DEBUG=1 to see the stack trace");
            }
            status = EXIT_FAILURE;
        }
        err.flush();
        return status;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) return ex.getClass().getSimpleName();
        return m.replace('\n', ' ');
    }
}
