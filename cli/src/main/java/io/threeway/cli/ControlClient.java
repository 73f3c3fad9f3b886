package io.threeway.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The client's side of {@link ControlEndpoint}: one request, its answer's lines. */
final class ControlClient {
    private ControlClient() {}

    /**
     * Sends {@code request} to the serve listening on {@code socket} and returns the lines it answers.
     *
     * @throws IOException              when nothing answers there (no file, a stale file, no permission)
     * @throws IllegalArgumentException when the serve refuses the request; the message is its reason
     */
    static List<String> ask(Path socket, String request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return askOnce(socket, request);
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().equals(ControlEndpoint.BUSY) || attempt == BUSY_ATTEMPTS) throw e;
            }
            try {
                Thread.sleep(BUSY_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** How often a busy serve is asked again, and how long apart. */
    private static final int BUSY_ATTEMPTS = 20;
    private static final long BUSY_PAUSE_MILLIS = 250;

    private static List<String> askOnce(Path socket, String request) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException("no control socket at " + socket + " (is 'threeway serve --control " + socket
                    + "' running?)");
        }
        String reply;
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) c.write(out);
            c.shutdownOutput();
            reply = new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
        } catch (ConnectException e) {
            throw new IOException("nothing answers on " + socket + " (a serve that has stopped?)", e);
        } catch (IOException e) {
            throw new IOException(socket + ": " + e.getMessage(), e);
        }
        List<String> lines = reply.lines().toList();
        if (lines.isEmpty()) throw new IOException(socket + ": the serve closed without answering");
        if (lines.getFirst().startsWith(ControlEndpoint.ERROR)) {
            throw new IllegalArgumentException(lines.getFirst().substring(ControlEndpoint.ERROR.length()));
        }
        return lines;
    }
}
