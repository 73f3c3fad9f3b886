package io.threeway.cli;

import io.threeway.tools.HostSnapshot;
import java.util.List;

/**
 * A tool that prints one host's state ({@code ss}, {@code nstat}, {@code netstat -s}), its options already
 * parsed into it. The same object answers on a scenario's snapshot and, through {@link ToolRequest}, on a
 * running {@code serve}'s, so both print the same lines for the same options.
 */
interface HostTool {

    /**
     * Rejects what the option parser accepts but the tool does not (ss's filter words, netstat without
     * {@code -s}), with an {@link IllegalArgumentException} or a picocli {@code ParameterException}.
     */
    void check();

    /** The lines the tool prints for {@code host}, each without its line break. */
    List<String> lines(HostSnapshot host);
}
