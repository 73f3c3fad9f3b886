package io.threeway.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Small helpers over the JDK's {@link HttpExchange}: query strings, bodies, answers. */
final class HttpExchanges {
    /**
     * Every answer forbids the page to load anything from anywhere but this server (no CDN, no outside font),
     * so the browser itself enforces "works with no network".
     */
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** Answers at least this long are compressed for a client that accepts gzip (a run's model compresses ~8:1). */
    static final int GZIP_FROM = 8 * 1024;

    private HttpExchanges() {}

    private static boolean acceptsGzip(HttpExchange x) {
        for (String v : x.getRequestHeaders().getOrDefault("Accept-Encoding", List.of())) {
            for (String coding : v.split(",")) {
                if (coding.strip().toLowerCase(Locale.ROOT).startsWith("gzip")) return true;
            }
        }
        return false;
    }

    /** Compressed at gzip's fastest level: the page is on the same machine, so speed beats size. */
    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 6 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            z.write(body);
        }
        return out.toByteArray();
    }

    static Map<String, List<String>> query(HttpExchange x) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.computeIfAbsent(k, key -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("bad escape in the query string: " + s);
        }
    }

    static int intParam(Map<String, List<String>> q, String name, int dflt) {
        String v = RunRequest.first(q, name, null);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + ": '" + v + "' is not a whole number");
        }
    }

    /** The request body, at most {@code limit} bytes (BadRequestException beyond). */
    static byte[] body(HttpExchange x, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = x.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > limit) {
                    throw new BadRequestException("the file is larger than " + (limit >> 20) + " MiB, the most the lab"
                            + " reads");
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    static void json(HttpExchange x, int status, Object value) throws IOException {
        send(x, status, "application/json; charset=utf-8", Json.bytes(value), null);
    }

    static void send(HttpExchange x, int status, String type, byte[] body, String download) throws IOException {
        if (body.length >= GZIP_FROM && acceptsGzip(x)) {
            body = gzip(body);
            x.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        x.getResponseHeaders().set("Vary", "Accept-Encoding");
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Content-Security-Policy", CSP);
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        if (download != null) {
            x.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + download + "\"");
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        }
        x.close();
    }
}
