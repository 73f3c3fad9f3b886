package io.threeway.bench.tun;

import io.threeway.bench.netns.NetNs;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's wrk and ab, run inside a namespace against a server, their figures parsed from what they print. */
final class LoadGenerators {
    private LoadGenerators() {}

    private static final Pattern WRK_RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMGT]?B)");
    private static final Pattern WRK_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern WRK_NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern AB_RPS = Pattern.compile("Requests per second:\\s+([0-9.]+)");
    private static final Pattern AB_FAILED = Pattern.compile("Failed requests:\\s+(\\d+)");
    private static final Pattern AB_COMPLETE = Pattern.compile("Complete requests:\\s+(\\d+)");

    /** A load generator's figures: the rate, bytes per second, requests done and errors seen. */
    record Figures(double requestsPerSecond, double bytesPerSecond, long completed, long errors) {}

    /** {@code wrk -t THREADS -c CONNECTIONS -d SECONDS URL}: HTTP/1.1 keep-alive requests as fast as answered. */
    static Figures wrk(NetNs ns, int threads, int connections, int seconds, String url) throws IOException {
        String out = ns.exec("wrk", "-t", Integer.toString(threads), "-c", Integer.toString(connections),
                "-d", seconds + "s", "--timeout", "5s", url);
        double rps = number(WRK_RPS, out, "wrk's Requests/sec");
        Matcher t = WRK_TRANSFER.matcher(out);
        if (!t.find()) throw new IOException("no Transfer/sec in wrk's output: " + out.strip());
        double bps = Double.parseDouble(t.group(1)) * scale(t.group(2));
        long errors = 0;
        Matcher e = WRK_ERRORS.matcher(out);
        if (e.find()) for (int g = 1; g <= 4; g++) errors += Long.parseLong(e.group(g));
        Matcher n = WRK_NON2XX.matcher(out);
        if (n.find()) errors += Long.parseLong(n.group(1));
        return new Figures(rps, bps, Math.round(rps * seconds), errors);
    }

    /** {@code ab -t SECONDS -c CONCURRENCY URL}: one connection per request (no keep-alive). */
    static Figures ab(NetNs ns, int concurrency, int seconds, String url) throws IOException {
        String out = ns.exec("ab", "-q", "-t", Integer.toString(seconds), "-n", "10000000", "-c",
                Integer.toString(concurrency), "-s", "5", url);
        long failed = (long) number(AB_FAILED, out, "ab's Failed requests");
        long complete = (long) number(AB_COMPLETE, out, "ab's Complete requests");
        if (complete == 0) return new Figures(0, 0, 0, failed); // ab prints no rate when nothing completed
        return new Figures(number(AB_RPS, out, "ab's Requests per second"), 0, complete, failed);
    }

    private static double number(Pattern p, String out, String what) throws IOException {
        Matcher m = p.matcher(out);
        if (!m.find()) throw new IOException("no " + what + " in: " + out.strip());
        return Double.parseDouble(m.group(1));
    }

    /** wrk prints binary units (1KB = 1024 B). */
    private static double scale(String unit) {
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "KB" -> 1024.0;
            case "MB" -> 1024.0 * 1024;
            case "GB" -> 1024.0 * 1024 * 1024;
            case "TB" -> 1024.0 * 1024 * 1024 * 1024;
            default -> 1.0;
        };
    }
}
