package io.threeway.bench.engine;

import io.threeway.bench.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lwIP's raw API as the engine's yardstick: {@code ../shared/bench/lwip-conn-rate.c}, compiled at run time
 * with gcc against Debian's {@code liblwip-dev} into {@code bench/target/lwip/} (never committed), then run.
 * Client and server share one lwIP stack over its netif loopback, callbacks inside lwIP's tcpip thread, one
 * connection at a time.
 */
public final class Lwip {
    /** The program's one line of output: "lwip conn-rate fin: 20000 connections in 1.066 s = 18762 conn/s". */
    private static final Pattern RESULT = Pattern.compile("lwip conn-rate (\\w+): (\\d+) connections in ([0-9.]+) s = ([0-9.]+) conn/s");
    private static final String HEADER = "/usr/include/lwip/lwip/tcp.h";

    private final Path binary;
    private final String version;

    private Lwip(Path binary, String version) {
        this.binary = binary;
        this.version = version;
    }

    /** The program built (or reused if newer than its source), or an exception saying why it cannot be. */
    public static Lwip build() throws IOException {
        Path source = Tools.sharedDir().resolve("bench/lwip-conn-rate.c");
        if (!Files.isReadable(source)) throw new IOException("lwIP's bench program not found at " + source);
        if (!Files.isReadable(Path.of(HEADER))) throw new IOException("liblwip-dev is not installed (no " + HEADER + ")");
        if (!Tools.has("gcc")) throw new IOException("gcc is not installed");
        Path out = Tools.buildDir().resolve("lwip/lwip-conn-rate");
        Files.createDirectories(out.getParent());
        if (!Files.isExecutable(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Tools.run(List.of("gcc", "-O2", "-I/usr/include/lwip", source.toString(), "-o", out.toString(),
                    "-llwip", "-lpthread"), 120);
        }
        String v = Tools.quietly(List.of("dpkg-query", "-W", "-f", "${Version}", "liblwip-dev"));
        return new Lwip(out, v == null || v.isBlank() ? "unknown version" : v.strip());
    }

    /** "lwIP 2.1.3+dfsg1-2 (Debian liblwip-dev)". */
    public String name() {
        return "lwIP " + version + " raw API (Debian liblwip-dev, gcc -O2)";
    }

    /** Runs {@code n} connections in {@code mode} and returns what the program printed, parsed. */
    public EngineConnRate.Run run(int n, EngineConnRate.CloseMode mode) throws IOException {
        String out = Tools.run(List.of(binary.toString(), Integer.toString(n), mode.arg()), 300);
        Matcher m = RESULT.matcher(out);
        if (!m.find()) throw new IOException("unexpected output from lwip-conn-rate: " + out.strip());
        return new EngineConnRate.Run(Integer.parseInt(m.group(2)), Math.round(Double.parseDouble(m.group(3)) * 1e9), -1);
    }
}
