package io.threeway.app;

import java.io.IOException;
import java.io.EOFException;

/**
 * Reads a request's body (RFC 9112 §6): Content-Length bytes, or the chunked coding (§7.1: hex chunk sizes,
 * extensions ignored, trailer fields read and dropped). Every byte goes to a {@link Sink}; the body's size is kept
 * under {@link ServerLimits#maxBody()} ({@code 413}) and its pace over the minimum rate, each received
 * {@link ServerLimits#bodyMinRate()} bytes moving the read deadline one second later.
 */
final class HttpBody {
    /** Where body bytes go (a digest, or nowhere). */
    interface Sink {
        void accept(byte[] b, int off, int len);
    }

    private static final int CHUNK = 16384;
    /** Hex digits of a chunk size: 15 keep it below 2^60. */
    private static final int MAX_SIZE_DIGITS = 15;

    private final HttpInput in;
    private final ReadDeadline deadline;
    private final ServerLimits limits;
    private long total;

    HttpBody(HttpInput in, ReadDeadline deadline, ServerLimits limits) {
        this.in = in;
        this.deadline = deadline;
        this.limits = limits;
    }

    /** Reads the whole body of {@code request} into {@code sink}. */
    void read(HttpRequest request, Sink sink) throws IOException, HttpError {
        if (request.contentLength() > limits.maxBody()) throw new HttpError(413, "body larger than " + limits.maxBody());
        deadline.start(limits.bodyTimeout());
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, request.chunked() ? CHUNK : request.contentLength()))];
        if (!request.chunked()) {
            copy(request.contentLength(), buf, sink);
            return;
        }
        while (true) {
            long size = chunkSize(in.readLine(limits.maxRequestLine(), 400));
            if (size == 0) break;
            if (total + size > limits.maxBody()) throw new HttpError(413, "body larger than " + limits.maxBody());
            copy(size, buf, sink);
            String end = in.readLine(2, 400);
            if (end == null || !end.isEmpty()) throw new HttpError(400, "chunk data not followed by CRLF");
        }
        int bytes = 0;
        for (int n = 0; ; n++) { // trailer section: read within the header's limits, then dropped
            String t = in.readLine(limits.maxHeaderBytes() - bytes, 431);
            if (t == null) throw new EOFException("the stream ended in the trailer");
            if (t.isEmpty()) return;
            bytes += t.length() + 2;
            if (n >= limits.maxHeaderFields()) throw new HttpError(431, "too many trailer fields");
        }
    }

    private void copy(long length, byte[] buf, Sink sink) throws IOException {
        for (long left = length; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new EOFException("the stream ended inside the body");
            sink.accept(buf, 0, n);
            left -= n;
            total += n;
            deadline.extend(n * 1_000_000_000L / limits.bodyMinRate());
        }
    }

    private static long chunkSize(String line) throws HttpError {
        if (line == null) throw new HttpError(400, "the stream ended before a chunk size");
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).stripTrailing();
        if (hex.isEmpty() || hex.length() > MAX_SIZE_DIGITS) throw new HttpError(400, "bad chunk size");
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) throw new HttpError(400, "bad chunk size");
            size = size * 16 + d;
        }
        return size;
    }
}
