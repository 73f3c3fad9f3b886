package io.threeway.conformance.run;

import io.threeway.tcp.FastOpen;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.tcp.EngineProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the sysctl assignments in a script's backtick lines, without running anything: Linux names
 * ({@code net.ipv4.*}, {@code net.core.*}) go to the stack's settings as they are; FreeBSD names
 * ({@code net.inet.tcp.*}, {@code kern.ipc.*}) go to their Linux equivalents where one exists, or to the
 * stack's {@link EngineProfile} where the behaviour is one Linux does not make configurable (RFC 5961's
 * checks, rexmit_slop, keepinit, rexmit_drop_options, ecn.maxretries, fastopen.path_disable_time). Anything else
 * is reported and left alone.
 */
public final class SysctlMapper {

    /** What became of one assignment or backtick line. */
    public record Mapping(boolean applied, String note) { }

    private SysctlMapper() {}

    /** Whether a script's command sets a FreeBSD sysctl (so the script was written for FreeBSD). */
    public static boolean isFreeBsd(String command) {
        for (ShellWords.Simple c : ShellWords.split(command)) {
            if (!c.name().equals("sysctl")) continue;
            for (String a : c.words()) {
                if (a.startsWith("net.inet.") || a.startsWith("net.inet6.") || a.startsWith("kern.")) return true;
            }
        }
        return false;
    }

    /**
     * Applies a {@code sysctl} command's assignments to {@code stack}; anything else is reported as not run.
     * Applied when every assignment had an equivalent.
     */
    public static Mapping apply(String command, Stack stack) {
        List<ShellWords.Simple> simple = ShellWords.split(command);
        if (simple.size() != 1 || !simple.get(0).name().equals("sysctl")) return new Mapping(false, "not run: shell commands are never executed");
        List<String> notes = new ArrayList<>();
        boolean all = true;
        for (String a : simple.get(0).words().subList(1, simple.get(0).words().size())) {
            int eq = a.indexOf('=');
            if (a.startsWith("-")) continue;
            if (eq < 0) return new Mapping(false, "not run: reading a sysctl");
            Mapping m = assign(a.substring(0, eq).replace('/', '.'), a.substring(eq + 1), stack);
            all &= m.applied();
            notes.add(m.note());
        }
        return new Mapping(all, String.join("; ", notes));
    }

    /**
     * One assignment: a Linux name the stack has is set (integers in any base sysctl(8) accepts: {@code 0x70403});
     * a FreeBSD name is mapped onto its Linux equivalent or the engine profile; anything else is not applied.
     */
    public static Mapping assign(String name, String value, Stack stack) {
        Sysctl known = Sysctl.byName(name);
        if (known != null) {
            String v = known.kind() == Sysctl.Kind.STRING ? value : decimal(value);
            try {
                stack.sysctls().set(name, v);
                return new Mapping(true, name + " = " + v);
            } catch (IllegalArgumentException e) {
                return new Mapping(false, name + "=" + value + ": not applied: " + e.getMessage());
            }
        }
        if (name.startsWith("net.ipv4.") || name.startsWith("net.ipv6.") || name.startsWith("net.core.")) {
            return new Mapping(false, name + "=" + value + ": not applied (the stack has no such setting)");
        }
        try {
            List<String> done = freeBsd(name, parse(value), stack);
            if (done == null) return new Mapping(false, name + "=" + value + ": not applied: no equivalent setting for " + name);
            return new Mapping(true, name + "=" + value + (done.isEmpty() ? " (as the stack already behaves)" : " -> " + String.join(", ", done)));
        } catch (IllegalArgumentException e) {
            return new Mapping(false, "not applied: " + name + "=" + value + ": " + e.getMessage());
        }
    }

    /** Each whitespace-separated integer in decimal, read as strtoul with base 0 does (0x hex, leading-0 octal). */
    static String decimal(String value) {
        String[] parts = value.trim().split("\\s+");
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (!b.isEmpty()) b.append(' ');
            b.append(baseZero(p));
        }
        return b.toString();
    }

    private static String baseZero(String p) {
        try {
            if (p.startsWith("0x") || p.startsWith("0X")) return Long.toString(Long.parseLong(p.substring(2), 16));
            if (p.length() > 1 && p.startsWith("0") && p.chars().allMatch(Character::isDigit)) return Long.toString(Long.parseLong(p.substring(1), 8));
        } catch (NumberFormatException e) {
            return p;
        }
        return p;
    }

    private static long parse(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not an integer");
        }
    }

    /**
     * A FreeBSD setting in Linux's terms: the Linux assignments made (empty when the value is what the stack
     * does anyway), or null when there is no equivalent.
     */
    private static List<String> freeBsd(String name, long v, Stack stack) {
        Sysctls s = stack.sysctls();
        EngineProfile e = stack.engineProfile();
        List<String> out = new ArrayList<>();
        switch (name) {
            case "net.inet.tcp.rfc1323" -> {
                // 0 off, 1 both, 2 window scaling only, 3 timestamps only (FreeBSD 13+).
                set(s, out, Sysctl.TCP_WINDOW_SCALING, v == 1 || v == 2 ? 1 : 0);
                set(s, out, Sysctl.TCP_TIMESTAMPS, v == 1 || v == 3 ? 1 : 0);
            }
            case "net.inet.tcp.sack.enable" -> set(s, out, Sysctl.TCP_SACK, v != 0 ? 1 : 0);
            case "net.inet.tcp.ecn.enable" -> set(s, out, Sysctl.TCP_ECN, v); // 0 off, 1 ask and accept, 2 accept: as Linux
            case "net.inet.tcp.ecn.maxretries" -> {
                set(s, out, Sysctl.TCP_ECN_FALLBACK, 1); // the profile's count decides, as FreeBSD's
                profile(stack, out, e.withEcnSynRetries((int) Math.max(0, Math.min(v, Integer.MAX_VALUE))), "ECN on " + v + " SYN retransmissions");
            }
            case "net.inet.tcp.keepinit" -> profile(stack, out, e.withKeepInitNanos(Math.max(0, v) * 1_000_000L), "keepinit " + v + " ms");
            case "net.inet.tcp.syncookies" -> set(s, out, Sysctl.TCP_SYNCOOKIES, v != 0 ? 1 : 0);
            case "net.inet.tcp.keepidle" -> set(s, out, Sysctl.TCP_KEEPALIVE_TIME, Math.max(1, v / 1000));
            case "net.inet.tcp.keepintvl" -> set(s, out, Sysctl.TCP_KEEPALIVE_INTVL, Math.max(1, v / 1000));
            case "net.inet.tcp.keepcnt" -> set(s, out, Sysctl.TCP_KEEPALIVE_PROBES, v);
            case "net.inet.tcp.finwait2_timeout" -> set(s, out, Sysctl.TCP_FIN_TIMEOUT, Math.max(1, v / 1000));
            case "net.inet.tcp.recvspace" -> setBuffer(s, out, Sysctl.TCP_RMEM, 1, v);
            case "net.inet.tcp.sendspace" -> setBuffer(s, out, Sysctl.TCP_WMEM, 1, v);
            case "kern.ipc.maxsockbuf" -> {
                // The largest buffer a socket may have; both systems derive the window scale from it.
                setBuffer(s, out, Sysctl.TCP_RMEM, 2, v);
                setBuffer(s, out, Sysctl.TCP_WMEM, 2, v);
            }
            case "net.inet.tcp.hostcache.purgenow" -> { } // the stack keeps no host cache: nothing to flush
            case "net.inet.tcp.blackhole" -> { if (v != 0) return null; }          // Linux always answers with RST
            case "net.inet.tcp.rexmit_initial" -> { if (v != 1000) return null; }  // Linux's initial RTO is 1 s
            case "net.inet.tcp.rexmit_drop_options" -> profile(stack, out, e.withRexmitDropOptions(v != 0), "SYN options dropped from the third retransmission " + onOff(v != 0));
            case "net.inet.tcp.insecure_rst" -> profile(stack, out, e.withChallengeRst(v == 0), "RFC 5961 RST check " + onOff(v == 0));
            case "net.inet.tcp.insecure_syn" -> profile(stack, out, e.withChallengeSyn(v == 0), "RFC 5961 SYN check " + onOff(v == 0));
            case "net.inet.tcp.rexmit_slop" -> profile(stack, out, e.withRexmitSlopNanos(Math.max(0, v) * 1_000_000L), "rexmit slop " + v + " ms");
            case "net.inet.tcp.drop_synfin" -> { if (v != 1) return null; }        // Linux drops SYN+FIN
            // Fast Open (RFC 7413): FreeBSD's client and server switches are tcp_fastopen's bits 0x1 and 0x2.
            case "net.inet.tcp.fastopen.client_enable" -> {
                setBit(s, out, Sysctl.TCP_FASTOPEN, FastOpen.CLIENT, v != 0);
                if (v == 0) {
                    stack.clearFastOpenCookies(); // FreeBSD flushes its client cookie cache on the way to 0
                    out.add("client cookie cache flushed");
                }
            }
            case "net.inet.tcp.fastopen.server_enable" -> setBit(s, out, Sysctl.TCP_FASTOPEN, FastOpen.SERVER, v != 0);
            case "net.inet.tcp.fastopen.path_disable_time" -> profile(stack, out,
                    e.withFastOpenPathDisableNanos(Math.max(0, v) * 1_000_000_000L), "Fast Open path disabled " + v + " s after a failure");
            // No equivalent: pre-shared-key cookies, accepting any cookie, the client cache's size and the
            // server's key rotation; their defaults (off) are what the stack does.
            case "net.inet.tcp.fastopen.psk_enable", "net.inet.tcp.fastopen.acceptany" -> { if (v != 0) return null; }
            default -> { return null; }
        }
        return out;
    }

    private static void setBit(Sysctls s, List<String> out, Sysctl which, int bit, boolean on) {
        long old = s.get(which);
        set(s, out, which, on ? old | bit : old & ~bit);
    }

    private static void profile(Stack stack, List<String> out, EngineProfile changed, String what) {
        if (changed.equals(stack.engineProfile())) return;
        stack.setEngineProfile(changed);
        out.add("engine profile: " + what);
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static void set(Sysctls s, List<String> out, Sysctl which, long value) {
        s.set(which, value);
        out.add(which.sysctlName() + "=" + value);
    }

    /** Sets one element of a min/default/max vector, moving the others so the order stays valid. */
    private static void setBuffer(Sysctls s, List<String> out, Sysctl which, int index, long value) {
        long[] v = new long[3];
        for (int i = 0; i < 3; i++) v[i] = s.get(which, i);
        v[index] = Math.min(value, Integer.MAX_VALUE); // FreeBSD allows up to 2^32-1; the window scale caps at 14 anyway
        if (index == 2) {
            v[1] = Math.min(v[1], value);
            v[0] = Math.min(v[0], v[1]);
        } else {
            v[2] = Math.max(v[2], value);
            v[0] = Math.min(v[0], value);
        }
        String text = v[0] + " " + v[1] + " " + v[2];
        s.set(which, text);
        out.add(which.sysctlName() + "=" + text);
    }
}
