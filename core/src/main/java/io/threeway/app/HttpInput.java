package io.threeway.app;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A connection's input: line reading for heads and chunk sizes, with limits, and plain reads for bodies. Its
 * buffer is allocated when a request starts, grows only as a long line needs, and is let go while the connection
 * waits for its next request, so an idle connection holds no buffer at all. Every read from the socket first
 * arms the {@link ReadDeadline}.
 */
final class HttpInput {
    private static final int INITIAL = 512;

    private final InputStream in;
    private final ReadDeadline deadline;
    private byte[] buf;
    private int start;
    private int end;

    HttpInput(InputStream in, ReadDeadline deadline) {
        this.in = in;
        this.deadline = deadline;
    }

    /**
     * Waits for the first byte of a request (or the end of the stream: false) without holding a buffer, then
     * keeps it buffered.
     */
    boolean awaitRequest() throws IOException {
        if (start < end) return true;
        buf = null;
        start = end = 0;
        deadline.beforeRead();
        int b = in.read();
        if (b < 0) return false;
        buf = new byte[INITIAL];
        buf[0] = (byte) b;
        end = 1;
        return true;
    }

    /**
     * The next line without its line break (CRLF, or a bare LF as RFC 9112 §2.2 allows), as ISO-8859-1;
     * null at the end of the stream before any byte.
     *
     * @throws HttpError {@code tooLong} when the line exceeds {@code max} bytes; 400 for a bare CR in it
     * @throws EOFException when the stream ends inside the line
     */
    String readLine(int max, int tooLong) throws IOException, HttpError {
        for (int seen = 0; ; ) { // bytes after start already scanned (start moves when fill compacts)
            for (; start + seen < end; seen++) {
                if (buf[start + seen] == '\n') return takeLine(start + seen, max, tooLong);
                if (seen > max + 1) throw new HttpError(tooLong, "line longer than " + max + " bytes");
            }
            if (!fill()) {
                if (start == end) return null;
                throw new EOFException("the stream ended inside a line");
            }
        }
    }

    private String takeLine(int lf, int max, int tooLong) throws HttpError {
        int stop = lf > start && buf[lf - 1] == '\r' ? lf - 1 : lf;
        if (stop - start > max) throw new HttpError(tooLong, "line longer than " + max + " bytes");
        for (int i = start; i < stop; i++) {
            if (buf[i] == '\r') throw new HttpError(400, "bare CR in a line");
        }
        String line = new String(buf, start, stop - start, StandardCharsets.ISO_8859_1);
        start = lf + 1;
        return line;
    }

    /** The buffer's size in bytes (0 when none is held). */
    int capacity() {
        return buf == null ? 0 : buf.length;
    }

    /** {@link #readLine} with generous limits, for tests. */
    String readLineForTest() throws IOException {
        try {
            return readLine(1 << 16, 400);
        } catch (HttpError e) {
            throw new IOException(e);
        }
    }

    /** Reads up to {@code len} body bytes into {@code b}: buffered ones first. -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        if (start < end) {
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            return n;
        }
        deadline.beforeRead();
        return in.read(b, off, len);
    }

    /** Reads more bytes into the buffer, growing or compacting it; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (buf == null) buf = new byte[INITIAL];
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        deadline.beforeRead();
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) return false;
        end += n;
        return true;
    }
}
