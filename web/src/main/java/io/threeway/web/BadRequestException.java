package io.threeway.web;

import java.util.Map;

/**
 * Input the lab cannot run: the message for the page, and per form field what is wrong with it (shown next to
 * the field). The server answers 400 and keeps serving.
 */
final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Field name to message; empty when the problem is not one field's. */
    private final transient Map<String, String> fields;

    BadRequestException(String message, Map<String, String> fields) {
        super(message);
        this.fields = Map.copyOf(fields);
    }

    BadRequestException(String message) {
        this(message, Map.of());
    }

    Map<String, String> fields() { return fields; }
}
