package io.threeway.host;

/**
 * A limit on new connection attempts at the stack's ingress: the equivalent of the seeds'
 * {@code iptables -A INPUT -p tcp --syn -m limit --limit 10/s --limit-burst 20 -j ACCEPT} followed by
 * {@code -j DROP}. iptables' limit match is a token bucket: it starts full with {@code burst} tokens,
 * gains one every 1/rate seconds up to {@code burst}, and each SYN spends one; a SYN that finds the
 * bucket empty is dropped before TCP sees it.
 *
 * <p>Counts what it passed and dropped, as {@code iptables -v} shows a rule's packet counts.
 */
public final class SynRateLimit {
    private final double ratePerSecond;
    private final int burst;
    private double tokens;
    private long last = Long.MIN_VALUE;
    private long passed;
    private long dropped;

    public SynRateLimit(double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0)) throw new IllegalArgumentException("SYN rate limit must be positive, got " + ratePerSecond);
        if (burst < 1) throw new IllegalArgumentException("SYN burst must be at least 1, got " + burst);
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Parses iptables' {@code --limit} syntax: {@code 10/s}, {@code 600/min}, {@code 5/sec}, {@code 100/hour}. */
    public static SynRateLimit parse(String limit, int burst) {
        String t = limit.trim();
        int slash = t.indexOf('/');
        double n;
        try {
            n = Double.parseDouble(slash < 0 ? t : t.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad SYN limit '" + limit + "': expected N/s, N/min or N/hour");
        }
        String unit = slash < 0 ? "s" : t.substring(slash + 1);
        double perSecond = switch (unit) {
            case "s", "sec", "second" -> n;
            case "m", "min", "minute" -> n / 60;
            case "h", "hour" -> n / 3600;
            case "d", "day" -> n / 86400;
            default -> throw new IllegalArgumentException("bad SYN limit unit '" + unit + "': expected s, min, hour or day");
        };
        return new SynRateLimit(perSecond, burst);
    }

    /** Spends a token for a SYN arriving at {@code now}; false when the bucket is empty (drop it). */
    boolean admit(long now) {
        if (last != Long.MIN_VALUE) {
            tokens = Math.min(burst, tokens + (now - last) * ratePerSecond / 1e9);
        }
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            passed++;
            return true;
        }
        dropped++;
        return false;
    }

    public double ratePerSecond() { return ratePerSecond; }
    public int burst() { return burst; }
    public long passed() { return passed; }
    public long dropped() { return dropped; }

    @Override
    public String toString() {
        return "limit: avg " + ratePerSecond + "/sec burst " + burst + " (passed " + passed + ", dropped " + dropped + ")";
    }
}
