package io.threeway.app;

/**
 * A request's head as the server understood it (RFC 9112 §3 and §6).
 *
 * @param method        the method token, e.g. {@code GET}
 * @param target        the request target as sent (origin form, absolute form, or {@code *})
 * @param minorVersion  0 for HTTP/1.0, 1 for HTTP/1.1
 * @param contentLength the body's length from Content-Length, or -1 when there is none
 * @param chunked       whether the body comes in the chunked transfer coding
 * @param keepAlive     whether the connection stays open after the answer (RFC 9112 §9.3)
 * @param expectContinue whether the client waits for {@code 100 Continue} before sending its body
 */
record HttpRequest(String method, String target, int minorVersion, long contentLength, boolean chunked,
                   boolean keepAlive, boolean expectContinue) {
    /** Whether a body follows the head. */
    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** The path of the target (origin form as is; absolute form without scheme and authority). */
    String path() {
        if (target.startsWith("/")) return target;
        int scheme = target.indexOf("://");
        if (scheme < 0) return target;
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash);
    }
}
