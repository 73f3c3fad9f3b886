package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Behaviour unchanged, checked rather than claimed: every scenario's output and capture, and the conformance
 * runner's per-script results, compared byte for byte with the golden files under
 * {@code cli/src/test/resources/golden}.
 *
 * <p>Per scenario and seed (1 and 2), with the defaults otherwise: {@code NAME.SEED.json} is what
 * {@code threeway lab run NAME --json --seed SEED} prints, {@code NAME.SEED.txt} the text report, and
 * {@code NAME.SEED.summary} both exit statuses plus the number and SHA-256 of the lines {@code threeway dump --tt}
 * prints for the run's {@code --pcap} (every packet's time, flags, sequence numbers, window and options; the
 * captures themselves are too large to keep). {@code conformance-freebsd.txt} and
 * {@code conformance-google-packetdrill.txt} are {@code threeway conformance} over the two suites in
 * {@code ../shared/conformance}, with the suite's directory written as {@code SUITE}.
 *
 * <p>A change made on purpose regenerates them with one command, {@code .ci/update-golden} (this test with
 * {@code -Dthreeway.golden.update=true}, which rewrites the files instead of comparing); review the diff and
 * commit it with the change. When only a {@code .summary} differs, compare the two builds' captures with
 * {@code threeway lab run NAME --seed S --pcap F} and {@code threeway dump --tt F}.
 */
class GoldenOutputsTest {
    /** The golden files, in the source tree (surefire runs in the module's directory). */
    private static final Path DIR = Path.of("src/test/resources/golden");
    /** Rewrite the golden files instead of comparing. */
    private static final boolean UPDATE = Boolean.getBoolean("threeway.golden.update");
    /** The seeds each scenario runs with. */
    private static final int[] SEEDS = {1, 2};
    /** The conformance suites, by golden name, as directories under {@code shared/conformance}. */
    private static final String[][] SUITES = {
        {"conformance-freebsd.txt", "freebsd-tcp-testsuite"},
        {"conformance-google-packetdrill.txt", "google-packetdrill"},
    };

    @TestFactory
    Stream<DynamicTest> scenarios() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : scenarioNames()) {
            for (int seed : SEEDS) tests.add(DynamicTest.dynamicTest(name + " seed " + seed, () -> scenario(name, seed)));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> conformanceSuites() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] s : SUITES) tests.add(DynamicTest.dynamicTest(s[1], () -> suite(s[0], s[1])));
        return tests.stream();
    }

    /** Every golden file belongs to a scenario that exists or to a suite, and every scenario has its files. */
    @Test
    void noStaleOrMissingGoldenFiles() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (String name : scenarioNames()) {
            for (int seed : SEEDS) {
                for (String ext : List.of("json", "txt", "summary")) expected.add(name + "." + seed + "." + ext);
            }
        }
        for (String[] s : SUITES) expected.add(s[0]);
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.forEach(p -> present.add(p.getFileName().toString()));
        }
        if (UPDATE) {
            for (String stale : present) if (!expected.contains(stale)) Files.delete(DIR.resolve(stale));
            return;
        }
        assertEquals(expected, present, "golden files: regenerate with .ci/update-golden");
    }

    private static List<String> scenarioNames() {
        Outcome list = run(new ByteArrayOutputStream(), "lab", "list");
        assertEquals(0, list.status(), list.err());
        List<String> names = new ArrayList<>();
        for (String line : list.out().split("\n")) if (!line.isBlank()) names.add(line.split("\\s+")[0]);
        assertTrue(names.size() >= 10, "lab list: " + names);
        return names;
    }

    private static void scenario(String name, int seed) throws IOException {
        Path pcap = Files.createTempFile("golden-" + name, ".pcap");
        try {
            Outcome json = run(new ByteArrayOutputStream(), "lab", "run", name, "--json", "--seed", "" + seed,
                    "--pcap", pcap.toString());
            Outcome text = run(new ByteArrayOutputStream(), "lab", "run", name, "--seed", "" + seed);
            LineDigest lines = new LineDigest();
            Outcome dump = run(lines, "dump", "--tt", pcap.toString());
            assertEquals(0, dump.status(), dump.err());
            String summary = "exit-json " + json.status() + "\nexit-text " + text.status() + "\npcap-lines "
                    + lines.lines + "\npcap-sha256 " + lines.hex() + "\n";
            List<String> diffs = new ArrayList<>();
            compare(name + "." + seed + ".json", json.out(), diffs);
            compare(name + "." + seed + ".txt", text.out(), diffs);
            compare(name + "." + seed + ".summary", summary, diffs);
            if (!diffs.isEmpty()) fail(String.join("\n", diffs) + "\nstderr (json run): " + json.err());
        } finally {
            Files.deleteIfExists(pcap);
        }
    }

    private static void suite(String golden, String dir) throws IOException {
        Path root = suiteRoot(dir);
        if (root == null) {
            if ("true".equals(System.getenv("CI"))) fail("../shared/conformance/" + dir + " is missing (CI=true)");
            org.junit.jupiter.api.Assumptions.abort("../shared/conformance/" + dir + " is not here: skipped");
        }
        Outcome r = run(new ByteArrayOutputStream(), "conformance", root.toString());
        assertTrue(r.err().isEmpty(), r.err());
        String out = r.out().replace(root.toString(), "SUITE");
        List<String> diffs = new ArrayList<>();
        compare(golden, out, diffs);
        if (!diffs.isEmpty()) fail(String.join("\n", diffs));
    }

    /** {@code shared/conformance/DIR} beside the repository root or beside one of its ancestors. */
    static Path suiteRoot(String dir) {
        for (Path d = Path.of("").toAbsolutePath().getParent(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared/conformance/" + dir);
            if (d.getParent() != null && Files.isDirectory(candidate)) return candidate.normalize();
        }
        return null;
    }

    /** Compares {@code actual} with the golden file {@code name} (or rewrites it), adding a line to {@code diffs}. */
    private static void compare(String name, String actual, List<String> diffs) throws IOException {
        Path file = DIR.resolve(name);
        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(file)) {
            diffs.add(name + ": no golden file (run .ci/update-golden)");
            return;
        }
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) diffs.add(name + ": " + firstDifference(expected, actual));
    }

    /** The first line where the two texts differ, both versions. */
    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!el.equals(al)) return "line " + (i + 1) + "\n  golden: " + el + "\n  now:    " + al;
        }
        return "differs (line endings)";
    }

    /** What one in-process run of the command printed. */
    private record Outcome(int status, String out, String err) {}

    private static Outcome run(OutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(new Terminal(o, e), args);
            o.flush();
        }
        String printed = out instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "";
        return new Outcome(status, printed, err.toString(StandardCharsets.UTF_8));
    }

    /** A stream that keeps only the SHA-256 and the line count of what is written to it. */
    private static final class LineDigest extends OutputStream {
        /** The running digest. */
        private final MessageDigest sha;
        /** Newlines seen. */
        long lines;

        LineDigest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(int b) {
            sha.update((byte) b);
            if (b == '\n') lines++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sha.update(b, off, len);
            for (int i = off; i < off + len; i++) if (b[i] == '\n') lines++;
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
