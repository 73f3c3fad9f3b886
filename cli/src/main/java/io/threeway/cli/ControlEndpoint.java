package io.threeway.cli;

import io.threeway.tools.HostSnapshot;
import io.threeway.tools.LocalServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Supplier;
import java.nio.file.FileSystemException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The control socket of a running stack: a UNIX domain socket on which {@code threeway ss --control PATH}
 * (and {@code nstat}, {@code netstat -s}) ask what the stack holds now.
 *
 * <p>The protocol is one exchange per connection. The client sends one line, a {@link ToolRequest} such as
 * {@code ss -t -a -n state time-wait}; the server takes a fresh {@link HostSnapshot}, writes the lines the tool
 * prints for it, each ending in {@code \n}, and closes. A request it cannot answer gets one line,
 * {@code error: REASON}, which no tool's first line can be. So {@code echo 'ss -tan' | socat - UNIX-CONNECT:PATH}
 * works too.
 *
 * <p>A UNIX socket rather than a port, and never a port on the stack itself: a query over the stack would be a
 * connection of the stack it describes, and would show itself in the table it reads. The socket file is made
 * owner-only ({@code 0600}) as soon as it is bound, so only the user running {@code serve} (root, for TUN) may
 * ask. A socket file left by a serve that did not exit cleanly is replaced; one a live serve answers on is not.
 * {@link #close()} removes the file.
 *
 * <p>Safe to run as root, whoever connects: a request reads no file (picocli's {@code @file} expansion is off, and
 * no option taking a path is offered); each client is served on its own thread through a {@link LocalServer}, with
 * {@link #TIMEOUT} for its whole exchange and at most {@link #MAX_CLIENTS} at once (more get {@code error: busy});
 * requests are at most {@link #MAX_REQUEST} bytes and {@link ControlRateLimit} a second; the accept loop outlives a
 * full file table.
 */
public final class ControlEndpoint implements AutoCloseable {
    /** How an error reply begins. */
    static final String ERROR = "error: ";
    /** The reason given to a client over the limit; {@link ControlClient} tries again. */
    static final String BUSY = "busy: too many clients";

    /** The longest request line read, in bytes: far more than any tool's arguments. */
    static final int MAX_REQUEST = 4096;

    /** How long one client may take, request and answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Clients served at once. */
    static final int MAX_CLIENTS = 64;

    private final Path path;
    private final Supplier<HostSnapshot> snapshot;
    private final ControlRateLimit rate = new ControlRateLimit(ControlRateLimit.PER_SECOND, ControlRateLimit.BURST);
    private LocalServer server;

    private ControlEndpoint(Path path, Supplier<HostSnapshot> snapshot) {
        this.path = path;
        this.snapshot = snapshot;
    }

    /**
     * Binds {@code path} and starts answering, each connection on a virtual thread of its own.
     *
     * @param snapshot takes the host's snapshot for one request; called on the connection's thread, so it must
     *                 take whatever lock the stack's driver needs ({@code runtime.call(...)}), as for
     *                 {@link io.threeway.tools.MetricsEndpoint}
     * @throws IOException when the path is taken (a live serve, or a file that is not a socket) or cannot be bound
     */
    public static ControlEndpoint start(Path path, Supplier<HostSnapshot> snapshot) throws IOException {
        Path p = path.toAbsolutePath();
        if (p.getParent() != null) createDirectories(p);
        removeStale(p);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(p), 1024);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(p);
            throw e;
        }
        ControlEndpoint endpoint = new ControlEndpoint(p, snapshot);
        endpoint.server = LocalServer.start(server, endpoint::answer, ControlEndpoint::busy,
                MAX_CLIENTS, TIMEOUT, "threeway-control");
        return endpoint;
    }

    /** The socket's directory, or an error that says which directory could not be made and why. */
    private static void createDirectories(Path socket) throws IOException {
        try {
            Files.createDirectories(socket.getParent());
        } catch (FileSystemException e) {
            String why = e.getReason() != null ? e.getReason() : strerror(e);
            throw new IOException("cannot create the directory " + e.getFile() + " for the control socket " + socket
                    + ": " + why, e);
        }
    }

    /** The words mkdir(1) prints for the error behind {@code e} (strerror's), or the exception's name. */
    private static String strerror(FileSystemException e) {
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            case FileAlreadyExistsException x -> "File exists";
            case NotDirectoryException x -> "Not a directory";
            default -> e.getClass().getSimpleName().replace("Exception", "");
        };
    }

    /** The socket file. */
    public Path path() { return path; }

    /** Deletes a socket file nobody answers on; refuses to touch a live socket or a file of another kind. */
    private static void removeStale(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new IOException(p + " exists and is not a socket; not replacing it");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
            throw new IOException(p + " is in use: another 'threeway serve --control' answers on it");
        } catch (ConnectException stale) {
            Files.delete(p); // left by a serve that did not exit cleanly
        }
    }

    /** Reads one request, writes its answer or one error line, closes. */
    private void answer(SocketChannel client) throws IOException {
        String reply;
        try {
            String request = readRequest(client);
            if (request == null) return; // connected and left without a byte: no request, nothing to answer or charge
            if (!rate.tryAcquire(System.nanoTime())) throw new IllegalArgumentException("too many requests; try again in a second");
            reply = String.join("\n", ToolRequest.answer(request, snapshot)) + "\n";
        } catch (IllegalArgumentException e) {
            reply = ERROR + oneLine(e.getMessage()) + "\n";
        } catch (RuntimeException e) {
            reply = ERROR + "internal error: " + oneLine(e.toString()) + "\n";
        }
        write(client, reply);
    }

    /** Over the client limit: read the request (so the client sees the answer, not a reset), answer busy. */
    private static void busy(SocketChannel client) throws IOException {
        try {
            readRequest(client);
        } catch (IllegalArgumentException tooLong) {
            // busy all the same
        }
        write(client, ERROR + BUSY + "\n");
    }

    private static void write(SocketChannel client, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) client.write(out);
    }

    /** The bytes up to the first line break or the end of input, as UTF-8, at most {@link #MAX_REQUEST} bytes. */
    /** The request line (without its line end), or null when the client closed without sending a byte. */
    private static String readRequest(SocketChannel client) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST + 1);
        int end = -1;
        int scanned = 0;
        while (end < 0 && in.hasRemaining() && client.read(in) >= 0) {
            for (; scanned < in.position() && end < 0; scanned++) {
                if (in.get(scanned) == '\n') end = scanned;
            }
        }
        if (end < 0 && in.position() == 0) return null;
        if (end < 0) end = in.position();
        if (end > MAX_REQUEST) throw new IllegalArgumentException("request longer than " + MAX_REQUEST + " bytes");
        String line = new String(in.array(), 0, end, StandardCharsets.UTF_8);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    /** Stops answering and removes the socket file; requests being answered finish. */
    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
