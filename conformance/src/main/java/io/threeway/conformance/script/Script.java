package io.threeway.conformance.script;

import java.util.List;
import java.util.Map;

/**
 * A parsed packetdrill script: the command-line options its {@code --name=value} lines set (later ones win),
 * its init command (a backtick command before the first event, which packetdrill runs before the script
 * starts), its events in the order written, and its cleanup command (a backtick command after the last event,
 * run at the end whatever happened).
 *
 * @param init the init command, or null
 * @param cleanup the cleanup command, or null
 */
public record Script(String file, Map<String, String> options, Command init, List<Event> events, Command cleanup) {

    /** A backtick command without a time: the init or cleanup command. */
    public record Command(SourcePos pos, String text) { }

    /** An option's value, or {@code fallback} when the script does not set it. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
