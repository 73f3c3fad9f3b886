package io.threeway.cli;

import io.threeway.app.HttpFetch;
import io.threeway.tun.TunStack;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.io.FilterOutputStream;
import java.net.SocketException;
import java.time.Duration;

/**
 * {@code threeway curl}: one HTTP GET from a Threeway stack on a TUN device, printing the body and, with
 * {@code -w}, curl's write-out variables.
 */
@Command(name = "curl", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"GET a URL from a Threeway stack on a TUN device, as curl does; -w prints curl's timing variables "
                + "(time_namelookup, time_connect, time_appconnect, time_pretransfer, time_starttransfer, time_total, "
                + "num_connects, remote_ip, remote_port, local_port, response_code, size_download, speed_download).",
                "Example: threeway curl --tun tw1 --addr 198.18.0.2/15 --kernel-addr 198.18.0.1/15 "
                        + "-o /dev/null -w '%%{time_connect} %%{time_total}\\n' http://198.18.0.1:8000/"})
public final class CurlCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin
    TunOptionsMixin tun;

    @Parameters(index = "0", paramLabel = "URL", description = "http://ADDRESS[:PORT]/PATH (a literal address: no DNS).")
    String url;

    @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", description = "What to print after the transfer, with %%{variable}s and \\n.")
    String writeOut;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE instead of standard output.")
    Path output;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "Give up connecting after this long (default: as long as TCP tries).")
    Duration connectTimeout;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "0ms", converter = Units.DurationConverter.class,
            description = "Wait this long after creating the device before connecting, e.g. for a kernel end configured elsewhere.")
    Duration settle;

    CurlCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        try (TunStack host = tun.open()) {
            if (!settle.isZero()) Thread.sleep(settle);
            HttpFetch.Result r;
            try (OutputStream body = output == null ? new NonClosing(terminal.out()) : Files.newOutputStream(output)) {
                int timeout = connectTimeout == null ? 0 : (int) Math.max(1, connectTimeout.toMillis());
                r = HttpFetch.get(uri, () -> {
                    try {
                        return host.sockets().socket();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, body, timeout);
            } catch (SocketException e) {
                throw new IOException("curl: (7) Failed to connect to " + uri.getHost() + " port "
                        + (uri.getPort() < 0 ? 80 : uri.getPort()) + ": " + e.getMessage(), e);
            }
            if (writeOut != null) terminal.out().print(format(writeOut, r));
            terminal.out().flush();
            return 0;
        }
    }

    /** curl's -w: {@code %{name}} for a variable, {@code %%} for %, and the escapes \n, \r, \t, \\. */
    static String format(String template, HttpFetch.Result r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                char e = template.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    default -> b.append(e);
                }
            } else if (c == '%' && template.startsWith("%%", i)) {
                b.append('%');
                i++;
            } else if (c == '%' && template.startsWith("%{", i) && template.indexOf('}', i) > 0) {
                int end = template.indexOf('}', i);
                String name = template.substring(i + 2, end);
                String v = variable(name, r);
                b.append(v != null ? v : template.substring(i, end + 1));
                i = end;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String variable(String name, HttpFetch.Result r) {
        return switch (name) {
            case "time_namelookup" -> seconds(r.timeNamelookup());
            case "time_connect" -> seconds(r.timeConnect());
            case "time_appconnect" -> seconds(r.timeAppconnect());
            case "time_pretransfer" -> seconds(r.timePretransfer());
            case "time_starttransfer" -> seconds(r.timeStarttransfer());
            case "time_total" -> seconds(r.timeTotal());
            case "num_connects" -> Integer.toString(r.numConnects());
            case "remote_ip" -> IpAddress.of(r.remoteAddress()).toString(); // curl prints RFC 5952 text
            case "remote_port" -> Integer.toString(r.remotePort());
            case "local_port" -> Integer.toString(r.localPort());
            case "response_code", "http_code" -> String.format(Locale.ROOT, "%03d", r.responseCode());
            case "size_download" -> Long.toString(r.sizeDownload());
            case "speed_download" -> Long.toString(r.speedDownload());
            default -> null;
        };
    }

    /** curl prints times in seconds with six decimals. */
    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    /** Standard output passed to the fetch must survive its try-with-resources. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) { super(out); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void close() throws IOException { flush(); }
    }
}
