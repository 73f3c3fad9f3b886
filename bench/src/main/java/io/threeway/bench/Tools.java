package io.threeway.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where the suite finds the project's files, and how it runs outside programs (gcc, ip, wrk...). */
public final class Tools {
    private Tools() {}

    /**
     * The project's checkout: {@code THREEWAY_ROOT} if set, else the nearest directory above this module's
     * jar or classes that holds the {@code threeway} launcher, else the working directory.
     */
    public static Path projectRoot() {
        String env = System.getenv("THREEWAY_ROOT");
        if (env != null && !env.isBlank()) return Path.of(env);
        try {
            Path p = Path.of(Tools.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("threeway")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code ../shared} beside the checkout (the seed articles, the lwIP bench program). */
    public static Path sharedDir() {
        return projectRoot().resolveSibling("shared");
    }

    /** Where the suite writes what it builds at run time: {@code bench/target} (ignored by git). */
    public static Path buildDir() {
        return projectRoot().resolve("bench/target");
    }

    /** Whether {@code program} is on the PATH. */
    public static boolean has(String program) {
        return quietly(List.of("sh", "-c", "command -v " + program)) != null;
    }

    /** Whether this process runs as root (needed for namespaces and TUN). */
    public static boolean isRoot() {
        String id = quietly(List.of("id", "-u"));
        return id != null && id.strip().equals("0");
    }

    /** Runs a command; returns its standard output; throws with its output unless it exits 0 in time. */
    public static String run(List<String> command, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        try {
            byte[] out;
            try (var in = p.getInputStream()) {
                out = in.readAllBytes(); // the commands run here print little and end by themselves
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit after " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs a command; its standard output, or null if it failed. */
    public static String quietly(List<String> command) {
        try {
            return run(command, 30);
        } catch (IOException e) {
            return null;
        }
    }
}
