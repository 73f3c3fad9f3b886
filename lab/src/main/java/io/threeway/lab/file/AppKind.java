package io.threeway.lab.file;

import io.threeway.lab.ValueType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The applications a scenario file may run on its hosts (the file's {@code run:} word), each with its fields, their
 * types and defaults. Servers listen on every address of their host ({@code [::]}, dual stack); clients name a
 * server with {@code to: HOST:PORT} (a host of the file, or an address).
 */
public enum AppKind {
    /** Answers each HTTP/1.1 request with a body of response-size bytes after work; closes first unless keep-alive. */
    HTTP_SERVER(true, "An HTTP/1.1 server: each request gets response-size bytes after 'work' of application time.",
            field("port", ValueType.integer(1, 65535), "80", "The port it listens on."),
            field("response-size", ValueType.integer(0, 1L << 30), "1000", "Bytes of each response's body."),
            field("work", ValueType.duration(), "0s", "Application time per request before it answers."),
            field("backlog", ValueType.integer(1, 65535), "128", "listen()'s backlog.")),
    /** Sends each byte back. */
    ECHO_SERVER(true, "Sends every byte it reads back (RFC 862).",
            field("port", ValueType.integer(1, 65535), "7", "The port it listens on."),
            field("backlog", ValueType.integer(1, 65535), "128", "listen()'s backlog.")),
    /** Reads and discards: the other end of bulk-send; may stop reading, or close without reading. */
    SINK(true, "Reads and discards what it is sent (RFC 863); may stop reading, or close without reading.",
            field("port", ValueType.integer(1, 65535), "9", "The port it listens on."),
            field("stop-reading-at", ValueType.duration(), null, "From this time on it no longer reads: its window closes."),
            field("close-without-reading", ValueType.flag(), "false",
                    "Close each connection as soon as data arrives, unread (Linux then sends a reset)."),
            field("backlog", ValueType.integer(1, 65535), "128", "listen()'s backlog.")),
    /** Requests one after another (keep-alive) or each on a new connection, at a steady pace. */
    HTTP_CLIENT(false, "Sends HTTP/1.1 requests: one every 'every', each on a new connection (or one kept-alive connection).",
            target(),
            field("requests", ValueType.integer(1, 10_000_000), "1", "How many requests."),
            field("every", ValueType.duration(), "1s", "Time between the starts of two requests."),
            field("request-size", ValueType.integer(0, 1L << 30), "0", "Bytes of each request's body."),
            field("keep-alive", ValueType.flag(), "false", "Send them all on one connection, one after the other."),
            start()),
    /** Sends messages and waits for each to come back. */
    ECHO_CLIENT(false, "Sends 'messages' messages of 'size' bytes, one every 'every', on one connection; each waits for its echo.",
            target(),
            field("messages", ValueType.integer(1, 10_000_000), "10", "How many messages."),
            field("size", ValueType.integer(1, 1L << 24), "100", "Bytes of each message."),
            field("every", ValueType.duration(), "1s", "Time between two messages."),
            start()),
    /** Writes size bytes as fast as TCP takes them, then closes. */
    BULK_SEND(false, "Writes 'size' bytes as fast as TCP takes them, then closes.",
            target(),
            field("size", ValueType.integer(1, 1L << 40), "1000000", "Bytes to send."),
            start()),
    /** Connects and sends nothing. */
    IDLE(false, "Connects and sends nothing; with keepalive, SO_KEEPALIVE probes the silence.",
            target(),
            field("keepalive", ValueType.flag(), "false", "Turn SO_KEEPALIVE on (net.ipv4.tcp_keepalive_* set the timing)."),
            start());

    /** One field of an application: its key, type, default (null: none, or required for {@code to}) and help. */
    public record Field(String key, ValueType type, String defaultValue, String help) {}

    /** Whether it listens (a server) or connects (a client). */
    public final boolean server;
    /** One line for the documentation and messages. */
    public final String help;
    /** Its fields by key, in the documentation's order. */
    public final Map<String, Field> fields = new LinkedHashMap<>();

    AppKind(boolean server, String help, Field... fields) {
        this.server = server;
        this.help = help;
        for (Field f : fields) this.fields.put(f.key(), f);
    }

    /** The word a file writes in {@code run:}, e.g. {@code http-server}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind a file's {@code run:} word names, or null. */
    public static AppKind of(String word) {
        for (AppKind k : values()) if (k.word().equals(word)) return k;
        return null;
    }

    /** Every {@code run:} word, for messages. */
    public static List<String> words() {
        return Arrays.stream(values()).map(AppKind::word).toList();
    }

    private static Field field(String key, ValueType type, String def, String help) {
        return new Field(key, type, def, help);
    }

    private static Field target() {
        return new Field("to", ValueType.text(), null, "The server: HOST:PORT, a host of the file or an address ([2001:db8::2]:80).");
    }

    private static Field start() {
        return new Field("start", ValueType.duration(), "0s", "When it starts, in the run's time.");
    }
}
