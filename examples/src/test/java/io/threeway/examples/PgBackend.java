package io.threeway.examples;

import io.threeway.api.Host;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal PostgreSQL backend speaking protocol 3.0 (the frontend/backend protocol of the PostgreSQL
 * documentation, chapter "Message Formats"): the startup (SSLRequest answered 'N', StartupMessage answered with
 * AuthenticationOk, a few ParameterStatus, BackendKeyData and ReadyForQuery), simple queries ('Q') of the form
 * {@code SELECT n} answered with one int4 column, and Terminate. Enough for the JDBC driver with
 * {@code preferQueryMode=simple}.
 */
final class PgBackend {
    private PgBackend() {}

    /** Serves on {@code host:port}, one managed thread per connection. */
    static void start(Host host, int port) {
        host.spawn("pg-accept", () -> {
            try (ServerSocket ss = host.listen(port)) {
                while (true) {
                    Socket s = ss.accept();
                    host.spawn("pg-conn", () -> serve(s));
                }
            }
        });
    }

    private static void serve(Socket s) throws IOException {
        try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()))) {
            if (!startup(in, out)) return;
            while (true) {
                int type;
                try {
                    type = in.readUnsignedByte();
                } catch (EOFException e) {
                    return;
                }
                byte[] body = in.readNBytes(in.readInt() - 4);
                if (type == 'X') return;
                if (type != 'Q') {
                    error(out, "unsupported message " + (char) type);
                } else {
                    query(out, new String(body, 0, body.length - 1, StandardCharsets.UTF_8).trim());
                }
                ready(out);
                out.flush();
            }
        }
    }

    /** SSLRequest (answered 'N'), then StartupMessage; false if the client went away. */
    private static boolean startup(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            int len = in.readInt();
            int code = in.readInt();
            in.readNBytes(len - 8);
            if (code == 80877103) { // SSLRequest: no TLS here
                out.writeByte('N');
                out.flush();
                continue;
            }
            if (code != 196608) return false; // protocol 3.0 only
            message(out, 'R', new byte[] {0, 0, 0, 0}); // AuthenticationOk
            parameter(out, "server_version", "16.0");
            parameter(out, "client_encoding", "UTF8");
            parameter(out, "DateStyle", "ISO, MDY");
            parameter(out, "integer_datetimes", "on");
            parameter(out, "standard_conforming_strings", "on");
            parameter(out, "TimeZone", "UTC");
            message(out, 'K', new byte[] {0, 0, 0, 42, 0, 0, 0, 7}); // BackendKeyData
            ready(out);
            out.flush();
            return true;
        }
    }

    private static void query(DataOutputStream out, String sql) throws IOException {
        String q = sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;
        if (q.toUpperCase(java.util.Locale.ROOT).startsWith("SET ")) { // the driver's session settings
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            cstring(new DataOutputStream(c), "SET");
            message(out, 'C', c.toByteArray());
            return;
        }
        if (!q.toUpperCase(java.util.Locale.ROOT).startsWith("SELECT ")) {
            error(out, "only SELECT n is supported");
            return;
        }
        String value = q.substring(7).trim();
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(t);
        d.writeShort(1);
        cstring(d, "?column?");
        d.writeInt(0);      // table OID
        d.writeShort(0);    // column number
        d.writeInt(23);     // int4
        d.writeShort(4);
        d.writeInt(-1);     // type modifier
        d.writeShort(0);    // text format
        message(out, 'T', t.toByteArray());
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        DataOutputStream dr = new DataOutputStream(r);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        dr.writeShort(1);
        dr.writeInt(v.length);
        dr.write(v);
        message(out, 'D', r.toByteArray());
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        cstring(new DataOutputStream(c), "SELECT 1");
        message(out, 'C', c.toByteArray());
    }

    private static void error(DataOutputStream out, String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte('S');
        cstring(d, "ERROR");
        d.writeByte('C');
        cstring(d, "0A000");
        d.writeByte('M');
        cstring(d, text);
        d.writeByte(0);
        message(out, 'E', b.toByteArray());
    }

    private static void parameter(DataOutputStream out, String name, String value) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        cstring(d, name);
        cstring(d, value);
        message(out, 'S', b.toByteArray());
    }

    private static void ready(DataOutputStream out) throws IOException {
        message(out, 'Z', new byte[] {'I'});
    }

    private static void message(DataOutputStream out, char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(body.length + 4);
        out.write(body);
    }

    private static void cstring(DataOutputStream d, String s) throws IOException {
        d.write(s.getBytes(StandardCharsets.UTF_8));
        d.writeByte(0);
    }
}
