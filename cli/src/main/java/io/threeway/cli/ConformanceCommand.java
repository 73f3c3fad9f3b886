package io.threeway.cli;

import io.threeway.conformance.run.Profile;
import io.threeway.conformance.run.Profiles;
import io.threeway.conformance.run.ScriptResult;
import io.threeway.conformance.run.SuiteRunner;
import io.threeway.conformance.run.Tally;
import java.io.PrintStream;
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
import java.util.Locale;

/**
 * {@code threeway conformance PATH...}: runs packetdrill scripts against the stack in the simulator and prints,
 * per script, pass, fail (the first mismatch) or skip (why), then {@code N passed, N failed, N skipped}.
 * Exit status 0 when nothing failed, 1 when a script failed.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run packetdrill scripts (files, or directories searched for *.pkt) against the stack, "
                + "in virtual time, with the script as the peer. Shell lines in scripts are never run; their "
                + "sysctl assignments are mapped to the stack's settings."})
public final class ConformanceCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Scripts or directories of scripts.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "P",
            description = "linux or freebsd (default: freebsd for scripts that set FreeBSD's sysctls, else linux).")
    String profile;

    @Option(names = "--json", description = "Print the results as one JSON document.")
    boolean json;

    @Option(names = "--verbose", description = "Also print what was not run in each script (shell lines, code blocks).")
    boolean verbose;

    ConformanceCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Profile p = null;
        if (profile != null) {
            p = Profiles.byName(profile).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "unknown profile '" + profile + "' (linux or freebsd)"));
        }
        List<Path> scripts;
        try {
            scripts = SuiteRunner.scripts(paths);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream out = terminal.out();
        List<ScriptResult> results = new ArrayList<>();
        for (Path s : scripts) {
            ScriptResult r = SuiteRunner.run(s, p);
            results.add(r);
            if (!json) printText(out, r);
        }
        Tally t = Tally.of(results);
        if (json) out.println(json(results, t));
        else out.println(t);
        out.flush();
        return t.failed() > 0 ? Main.EXIT_FAILURE : 0;
    }

    private void printText(PrintStream out, ScriptResult r) {
        switch (r.status()) {
            case PASS -> out.println("pass " + r.script());
            case FAIL -> out.println("FAIL " + r.script() + " [" + r.profile() + "]\n    " + r.describe().replace("\n", "\n    "));
            case SKIP -> out.println("skip " + r.script() + ": " + r.reason());
        }
        if (verbose) for (String n : r.notes()) out.println("    note: " + n);
    }

    static String json(List<ScriptResult> results, Tally t) {
        StringBuilder b = new StringBuilder("{\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            ScriptResult r = results.get(i);
            if (i > 0) b.append(',');
            b.append("{\"script\":").append(str(r.script()))
                    .append(",\"status\":").append(str(r.status().name().toLowerCase(Locale.ROOT)))
                    .append(",\"profile\":").append(str(r.profile()));
            if (r.reason() != null) b.append(",\"reason\":").append(str(r.reason()));
            if (r.expected() != null) b.append(",\"expected\":").append(str(r.expected()));
            if (r.actual() != null) b.append(",\"actual\":").append(str(r.actual()));
            if (r.status() == ScriptResult.Status.FAIL && r.timeUs() >= 0) b.append(",\"time\":").append(ScriptResult.seconds(r.timeUs()));
            b.append(",\"notes\":[");
            for (int k = 0; k < r.notes().size(); k++) b.append(k > 0 ? "," : "").append(str(r.notes().get(k)));
            b.append("]}");
        }
        b.append("],\"passed\":").append(t.passed()).append(",\"failed\":").append(t.failed())
                .append(",\"skipped\":").append(t.skipped()).append('}');
        return b.toString();
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
