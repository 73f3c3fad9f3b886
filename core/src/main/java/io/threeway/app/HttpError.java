package io.threeway.app;

/**
 * A request the server refuses, with the status it answers (RFC 9110 §15): {@code 400} for a malformed message,
 * {@code 408} for one that took too long, {@code 413}, {@code 414} and {@code 431} for one too large, {@code 501}
 * for a transfer coding not implemented, {@code 505} for an HTTP version other than 1.0 and 1.1. The connection is
 * closed after the answer, since the message's end cannot be trusted.
 */
final class HttpError extends Exception {
    /** The status code. */
    final int status;

    HttpError(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    /** RFC 9110's reason phrase for the statuses this server sends. */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 417 -> "Expectation Failed";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
