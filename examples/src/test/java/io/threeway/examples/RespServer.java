package io.threeway.examples;

import io.threeway.api.Host;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small Redis server speaking RESP2 (the Redis serialization protocol: commands as arrays of bulk strings), enough
 * for a client's PING, SET, GET and connection set-up (CLIENT, SELECT, HELLO answered as Redis answers what it does not
 * know). A key named {@code slow:*} is never answered, for read timeouts.
 */
final class RespServer {
    /** The keys and values. */
    private final Map<String, String> data = new HashMap<>();

    /** Serves on {@code host:port}, one managed thread per connection. */
    static RespServer start(Host host, int port) {
        RespServer r = new RespServer();
        host.spawn("redis-accept", () -> {
            try (ServerSocket ss = host.listen(port)) {
                while (true) {
                    Socket s = ss.accept();
                    host.spawn("redis-conn", () -> r.serve(s));
                }
            }
        });
        return r;
    }

    private void serve(Socket s) throws IOException {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = new BufferedOutputStream(s.getOutputStream())) {
            while (true) {
                List<String> cmd;
                try {
                    cmd = command(in);
                } catch (EOFException e) {
                    return;
                }
                String name = cmd.get(0).toUpperCase(java.util.Locale.ROOT);
                if (name.equals("GET") && cmd.size() == 2 && cmd.get(1).startsWith("slow:")) {
                    continue; // never answered
                }
                out.write(answer(name, cmd).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private String answer(String name, List<String> cmd) {
        return switch (name) {
            case "PING" -> "+PONG\r\n";
            case "SET" -> {
                data.put(cmd.get(1), cmd.get(2));
                yield "+OK\r\n";
            }
            case "GET" -> {
                String v = data.get(cmd.get(1));
                yield v == null ? "$-1\r\n" : "$" + v.getBytes(StandardCharsets.UTF_8).length + "\r\n" + v + "\r\n";
            }
            case "CLIENT", "SELECT" -> "+OK\r\n";
            default -> "-ERR unknown command '" + cmd.get(0) + "'\r\n";
        };
    }

    /** One command: {@code *N\r\n} then N bulk strings {@code $len\r\nbytes\r\n}. */
    private static List<String> command(InputStream in) throws IOException {
        String head = line(in);
        if (!head.startsWith("*")) throw new IOException("not a RESP array: " + head);
        int n = Integer.parseInt(head.substring(1));
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String len = line(in);
            byte[] b = in.readNBytes(Integer.parseInt(len.substring(1)));
            line(in);
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException();
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }
}
