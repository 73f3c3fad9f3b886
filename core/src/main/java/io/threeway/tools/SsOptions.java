package io.threeway.tools;

/**
 * ss's options that change what it prints ({@code -t} is implied: Threeway has only TCP sockets).
 *
 * @param all       {@code -a}: listening and non-listening sockets, TIME-WAIT and SYN-RECV included
 * @param listening {@code -l}: listening sockets only
 * @param numeric   {@code -n}: ports as numbers, not service names
 * @param info      {@code -i}: a tab-indented line of TCP details under each connection
 * @param timers    {@code -o}: the {@code timer:(...)} field
 * @param summary   {@code -s}: the one-line summary instead of the table
 * @param ipv4      {@code -4}: IPv4 sockets only
 * @param ipv6      {@code -6}: IPv6 sockets only
 */
public record SsOptions(boolean all, boolean listening, boolean numeric, boolean info, boolean timers,
                        boolean summary, boolean ipv4, boolean ipv6) {

    /** {@code ss -tan}. */
    public static SsOptions tan() {
        return new SsOptions(true, false, true, false, false, false, false, false);
    }
}
