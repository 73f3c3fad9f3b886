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
import io.threeway.lab.LabJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.math.BigDecimal;
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
        ObjectNode root = LabJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("results");
        for (ScriptResult r : results) {
            ObjectNode n = list.addObject();
            n.put("script", r.script()).put("status", r.status().name().toLowerCase(Locale.ROOT))
                    .put("profile", r.profile());
            if (r.reason() != null) n.put("reason", r.reason());
            if (r.expected() != null) n.put("expected", r.expected());
            if (r.actual() != null) n.put("actual", r.actual());
            if (r.status() == ScriptResult.Status.FAIL && r.timeUs() >= 0) {
                n.put("time", new BigDecimal(ScriptResult.seconds(r.timeUs())));
            }
            ArrayNode notes = n.putArray("notes");
            r.notes().forEach(notes::add);
        }
        root.put("passed", t.passed()).put("failed", t.failed()).put("skipped", t.skipped());
        return LabJson.MAPPER.writeValueAsString(root);
    }
}
