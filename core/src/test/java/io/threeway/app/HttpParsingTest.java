package io.threeway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The request parser against RFC 9112, from memory: each hostile or malformed request gets the status the RFC
 * asks for (and the connection closes), each valid one its answer. The rows of the README's hardening table for
 * smuggling and oversized requests are here.
 */
class HttpParsingTest {
    static final ServerLimits LIMITS = ServerLimits.DEFAULT;

    /** Everything the server writes for {@code request}, and how the exchange ended. */
    record Outcome(String text, HttpExchange.End end) {
        int firstStatus() {
            return Integer.parseInt(text.substring(9, 12));
        }
    }

    static Outcome exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1), LIMITS);
    }

    static Outcome exchange(byte[] request, ServerLimits limits) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpExchange.End end = new HttpExchange(new ByteArrayInputStream(request), out, ReadDeadline.NONE, limits,
                "test", null).run();
        return new Outcome(out.toString(StandardCharsets.ISO_8859_1), end);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        duplicate Content-Length (equal)     | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello
        conflicting Content-Length           | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\nhello!
        Content-Length as a list             | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5, 5\\r\\n\\r\\nhello
        Content-Length with a sign           | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: +5\\r\\n\\r\\nhello
        Content-Length in hex                | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0x5\\r\\n\\r\\nhello
        Transfer-Encoding and Content-Length | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
        chunked not last                     | 400 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n
        gzip transfer coding                 | 501 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n
        Transfer-Encoding in HTTP/1.0        | 400 | POST /sha256 HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
        HTTP/1.7                             | 505 | GET / HTTP/1.7\\r\\nHost: x\\r\\n\\r\\n
        HTTP/2.0                             | 505 | GET / HTTP/2.0\\r\\nHost: x\\r\\n\\r\\n
        HTTP/1.10                            | 400 | GET / HTTP/1.10\\r\\nHost: x\\r\\n\\r\\n
        lower-case version                   | 400 | GET / http/1.1\\r\\nHost: x\\r\\n\\r\\n
        two spaces                           | 400 | GET  / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
        no Host                              | 400 | GET / HTTP/1.1\\r\\n\\r\\n
        two Hosts                            | 400 | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n
        space before the colon               | 400 | GET / HTTP/1.1\\r\\nHost : x\\r\\n\\r\\n
        obsolete line folding                | 400 | GET / HTTP/1.1\\r\\nHost: x\\r\\nX-A: 1\\r\\n  2\\r\\n\\r\\n
        bare CR                              | 400 | GET / HTTP/1.1\\r\\nHost: x\\rX: 1\\r\\n\\r\\n
        control character in a value         | 400 | GET / HTTP/1.1\\r\\nHost: x\\u0001\\r\\n\\r\\n
        target not origin form               | 400 | GET index.html HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
        a POST announcing 10^12 bytes        | 413 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1000000000000\\r\\n\\r\\nabc
        unknown expectation                  | 417 | POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nExpect: teapot\\r\\nContent-Length: 1\\r\\n\\r\\na
        HTTP/1.0 without Host                | 200 | GET / HTTP/1.0\\r\\n\\r\\n
        absolute form                        | 200 | GET http://x/ HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
        """)
    void statusFor(String what, int status, String request) throws IOException {
        Outcome o = exchange(request.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0001", "\u0001"));
        assertEquals(status, o.firstStatus(), what + ": " + o.text());
        if (status >= 400) {
            assertTrue(o.text().contains("Connection: close\r\n"), what + ": closes");
            assertEquals(HttpExchange.End.REJECTED, o.end(), what);
        }
    }

    @Test
    void anOversizedRequestLineIs414AndAnOversizedHeader431() throws IOException {
        String longTarget = "/" + "a".repeat(LIMITS.maxRequestLine());
        assertEquals(414, exchange("GET " + longTarget + " HTTP/1.1\r\nHost: x\r\n\r\n").firstStatus());
        String longField = "X-Big: " + "b".repeat(LIMITS.maxHeaderBytes()) + "\r\n";
        assertEquals(431, exchange("GET / HTTP/1.1\r\nHost: x\r\n" + longField + "\r\n").firstStatus());
        String many = "X-F: 1\r\n".repeat(LIMITS.maxHeaderFields());
        assertEquals(431, exchange("GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n").firstStatus());
    }

    @Test
    void chunkedBodiesAreDecodedAndHashed() throws Exception {
        Outcome o = exchange("POST /sha256 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("hello world".getBytes()));
        assertEquals(200, o.firstStatus(), o.text());
        assertTrue(o.text().endsWith(hex + "\n"), o.text());
    }

    @Test
    void expectContinueGets100BeforeTheBody() throws IOException {
        Outcome o = exchange("POST /sha256 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");
        assertTrue(o.text().startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), o.text());
    }

    @Test
    void keepAliveServesPipelinedRequestsInOrder() throws IOException {
        Outcome o = exchange("GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(3, o.text().split("HTTP/1.1 ").length - 1, o.text());
        assertEquals(HttpExchange.End.NOT_KEEP_ALIVE, o.end());
    }

    @Test
    void anIdleConnectionHoldsNoBuffer() throws IOException {
        int[] capacityWhileWaiting = {-1};
        HttpInput[] input = new HttpInput[1];
        byte[] first = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        java.io.InputStream in = new java.io.InputStream() {
            int pos;

            @Override
            public int read() {
                if (pos < first.length) return first[pos++] & 0xFF;
                capacityWhileWaiting[0] = input[0].capacity(); // the server waits for the next request here
                return -1;
            }
        };
        input[0] = new HttpInput(in, ReadDeadline.NONE);
        assertTrue(input[0].awaitRequest());
        assertTrue(input[0].capacity() > 0);
        while (!input[0].readLineForTest().isEmpty()) { }
        input[0].awaitRequest();
        assertEquals(0, capacityWhileWaiting[0], "bytes of buffer held while idle");
    }
}
