package io.threeway.conformance.script;

import java.util.List;
import java.util.Map;

/**
 * A parsed packetdrill script: the command-line options its {@code --name=value} lines set, in order
 * (later ones win), and its events in the order written.
 */
public record Script(String file, Map<String, String> options, List<Event> events) {

    /** An option's value, or {@code fallback} when the script does not set it. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
