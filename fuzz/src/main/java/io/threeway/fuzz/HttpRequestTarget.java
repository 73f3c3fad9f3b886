package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.app.HttpServer;
import io.threeway.app.ServerLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * The HTTP server's request parsing and answers ({@code HttpServer.replay}: the same code a connection runs),
 * fed one connection's bytes from memory. Small limits (a 64-byte request line, 256 bytes of header, 8 fields,
 * 1 KiB of body) let the fuzzer reach every limit. The first byte picks them (bit 0: the defaults instead).
 *
 * <p>Invariants: nothing escapes but the end of the stream inside a request; everything written back is a
 * sequence of whole HTTP/1.1 responses, each a status line, fields, a blank line and exactly Content-Length bytes
 * of body; a refusal (408, 413, 414, 417, 431, 501, 505) says {@code Connection: close}, and nothing follows a
 * response that says it.
 */
final class HttpRequestTarget implements FuzzTarget {
    private static final ServerLimits SMALL = new ServerLimits(1, Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1, 64, 256, 8, 1024, Duration.ofSeconds(1));

    @Override
    public String name() { return "http"; }

    @Override
    public String description() { return "HTTP/1.1 requests into the server's parser and routes (HttpServer.replay)"; }

    @Override
    public void fuzz(byte[] input) throws Exception {
        FuzzInput in = new FuzzInput(input);
        ServerLimits limits = (in.nextByte() & 1) != 0 ? ServerLimits.DEFAULT : SMALL;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            HttpServer.replay(new ByteArrayInputStream(in.rest()), new CappedOutput(out), limits);
        } catch (EOFException e) {
            return; // the bytes ended inside a request: the server closes without an answer
        } catch (CappedOutput.Full e) {
            return; // a large /bytes/N answer: legitimate, and not worth the fuzzer's memory
        }
        checkResponses(out.toString(StandardCharsets.ISO_8859_1), new String(input, StandardCharsets.ISO_8859_1).contains("HEAD "));
    }

    /** Passes at most 1 MiB through, then throws {@link Full}. */
    private static final class CappedOutput extends OutputStream {
        static final class Full extends IOException {
            Full() { super("1 MiB of answer", null); }
        }

        private final OutputStream out;
        private long written;

        CappedOutput(OutputStream out) { this.out = out; }

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 1 << 20) throw new Full();
            out.write(b, off, len);
        }
    }

    /**
     * Checks that {@code text} is whole responses. An answer to HEAD carries the Content-Length a GET would have
     * and no body (RFC 9110 §9.3.2): when the requests held a HEAD, a head followed at once by the next status
     * line is taken as one.
     */
    private static void checkResponses(String text, boolean someHead) {
        int at = 0;
        while (at < text.length()) {
            check(text.startsWith("HTTP/1.1 ", at), () -> "not a status line: " + text);
            int status = Integer.parseInt(text.substring(at + 9, at + 12));
            int headEnd = text.indexOf("\r\n\r\n", at);
            check(headEnd > 0, "a head without its blank line");
            String head = text.substring(at, headEnd + 2);
            at = headEnd + 4;
            if (status == 100) continue;
            int cl = head.indexOf("Content-Length: ");
            check(cl > 0, () -> "no Content-Length: " + head);
            long length = Long.parseLong(head.substring(cl + 16, head.indexOf("\r\n", cl)));
            if (someHead && (at == text.length() || text.startsWith("HTTP/1.1 ", at))) length = 0; // a HEAD's answer
            check(at + length <= text.length(), "a body shorter than its Content-Length");
            at += (int) length;
            boolean refusal = Set.of(408, 413, 414, 417, 431, 501, 505).contains(status);
            check(!refusal || head.contains("Connection: close\r\n"), () -> "a refusal that keeps the connection: " + head);
            check(!head.contains("Connection: close\r\n") || at == text.length(), "a response after Connection: close");
        }
    }
}
