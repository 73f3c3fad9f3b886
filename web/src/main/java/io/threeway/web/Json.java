package io.threeway.web;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The web lab's one JSON mapper (Jackson). */
final class Json {
    /** Shared and thread-safe once built. */
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static byte[] bytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** {@code text} parsed as JSON (a tree of maps and lists), or the text itself when it is not JSON. */
    static Object parseOrText(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            return text;
        }
    }
}
