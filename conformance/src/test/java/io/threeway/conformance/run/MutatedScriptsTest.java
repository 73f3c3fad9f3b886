package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.conformance.script.Script;
import io.threeway.conformance.script.ScriptException;
import io.threeway.conformance.script.ScriptParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad scripts never hurt: the project's own test scripts, mutated at random (seeded), either fail to parse with a
 * {@link ScriptException} or run to a result; the runner never crashes, never allocates what a script names
 * ({@code write(4, ..., 2000000000)}), never hangs.
 */
class MutatedScriptsTest {
    private static final String ALPHABET = "<>()[]{},.:=|+-*~\"%\n 0123456789SFPRW.";

    @Test
    void mutatedScriptsParseOrFailCleanlyAndNeverCrashTheRunner() throws IOException, URISyntaxException {
        Path dir = Path.of(MutatedScriptsTest.class.getResource("/scripts").toURI());
        List<String> sources = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) sources.add(Files.readString(p));
        }
        sources.add("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 write(3, ..., 2000000000) = -1\n+0 read(3, ..., -5) = -1\n");
        SplittableRandom r = new SplittableRandom(13);
        List<String> crashes = new ArrayList<>();
        for (int iter = 0; iter < 400; iter++) {
            String text = mutate(sources.get(r.nextInt(sources.size())), r);
            Script script;
            try {
                script = ScriptParser.parse("m.pkt", text, Set.of("Linux"));
            } catch (ScriptException expected) {
                continue;
            }
            ScriptResult res = ScriptRunner.run(script, null);
            if (res.reason() != null && res.reason().startsWith("runner error")) crashes.add(res.reason() + "\n" + text);
        }
        assertTrue(crashes.isEmpty(), () -> String.join("\n\n", crashes));
    }

    private static String mutate(String src, SplittableRandom r) {
        StringBuilder b = new StringBuilder(src);
        for (int e = 0, n = 1 + r.nextInt(4); e < n && b.length() > 0; e++) {
            int pos = r.nextInt(b.length());
            char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(pos);
                case 1 -> b.insert(pos, c);
                default -> b.setCharAt(pos, c);
            }
        }
        return b.toString();
    }
}
