package io.threeway.conformance.run;

import io.threeway.conformance.script.Script;
import io.threeway.conformance.script.ScriptException;
import io.threeway.conformance.script.ScriptParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Finds scripts ({@code *.pkt}) under files and directories and runs each one. */
public final class SuiteRunner {
    private SuiteRunner() {}

    /** The scripts under {@code paths}: files as given, directories searched recursively, sorted. */
    public static List<Path> scripts(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".pkt")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException("no such file or directory: " + p);
            }
        }
        return out;
    }

    /** Parses and runs one script; a script the parser rejects fails with the parser's file:line:column. */
    public static ScriptResult run(Path path, Profile profile) {
        Script script;
        try {
            // Parse once to see which system the script was written for, then with that profile's #ifdef names.
            Profile chosen = profile != null ? profile : ScriptRunner.profileFor(ScriptParser.parse(path, Set.of()));
            script = ScriptParser.parse(path, chosen.defines());
            profile = chosen;
        } catch (ScriptException e) {
            return new ScriptResult(path.toString(), ScriptResult.Status.FAIL, profile == null ? "-" : profile.name(),
                    "script error: " + e.getMessage(), null, null, -1, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ScriptRunner.run(script, profile);
    }
}
