package io.threeway.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The page's files, served from the jar ({@code io/threeway/web/static/}); nothing comes from elsewhere. */
final class StaticAssets {
    private static final String ROOT = "/io/threeway/web/static/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon", "json", "application/json");

    private StaticAssets() {}

    static void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (path.equals("/") || path.isEmpty()) path = "/index.html";
        String name = path.substring(1);
        if (!name.matches("[A-Za-z0-9_./-]+") || name.contains("..")) {
            HttpExchanges.send(x, 404, "text/plain; charset=utf-8", "not found\n".getBytes(), null);
            return;
        }
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                HttpExchanges.send(x, 404, "text/plain; charset=utf-8", ("not found: " + path + "\n").getBytes(), null);
                return;
            }
            String ext = name.substring(name.lastIndexOf('.') + 1);
            HttpExchanges.send(x, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes(), null);
        }
    }
}
