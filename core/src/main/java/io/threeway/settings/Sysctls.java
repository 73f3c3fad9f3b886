package io.threeway.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of one stack's settings, by Linux sysctl name, starting at Linux's defaults.
 *
 * <p>Reads are an array index; the engine reads through {@link #get(Sysctl)} on its paths.
 * Not thread-safe: a stack's settings are changed from the thread that drives the stack.
 */
public final class Sysctls {
    private final long[][] values = new long[Sysctl.values().length][];
    private final String[] strings = new String[Sysctl.values().length];

    public Sysctls() {
        for (Sysctl s : Sysctl.values()) set(s, s.defaultValue());
    }

    /** A copy of another set of values. */
    public Sysctls(Sysctls other) {
        for (Sysctl s : Sysctl.values()) {
            values[s.ordinal()] = other.values[s.ordinal()] == null ? null : other.values[s.ordinal()].clone();
            strings[s.ordinal()] = other.strings[s.ordinal()];
        }
    }

    /** A single-integer setting's value (the first element of a vector). */
    public int get(Sysctl s) {
        return (int) values[s.ordinal()][0];
    }

    /** A single-integer setting's value as a long (for the few that exceed int, such as tcp_notsent_lowat). */
    public long getLong(Sysctl s) {
        return values[s.ordinal()][0];
    }

    /** Element i of a vector setting, such as tcp_rmem's default (index 1). */
    public int get(Sysctl s, int i) {
        return (int) values[s.ordinal()][i];
    }

    /** Element i of a vector setting as a long (tcp_mem's pages may exceed an int). */
    public long getLong(Sysctl s, int i) {
        return values[s.ordinal()][i];
    }

    public String getString(Sysctl s) {
        return strings[s.ordinal()];
    }

    /** Sets a value from its text; throws IllegalArgumentException with a one-line reason. */
    public Sysctls set(Sysctl s, String text) {
        long[] v = s.parse(text);
        values[s.ordinal()] = v;
        strings[s.ordinal()] = s.kind() == Sysctl.Kind.STRING ? text.trim() : format(v);
        return this;
    }

    public Sysctls set(Sysctl s, long value) {
        return set(s, Long.toString(value));
    }

    /** Sets by Linux name, e.g. {@code set("net.ipv4.tcp_syncookies", "2")}. */
    public Sysctls set(String name, String text) {
        return set(require(name), text);
    }

    /** Applies {@code name=value} (as {@code sysctl -w} takes it). */
    public Sysctls assign(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("expected name=value, got '" + assignment + "'");
        return set(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim());
    }

    /** The text value by name, as {@code sysctl NAME} prints it after the " = ". */
    public String show(String name) {
        return strings[require(name).ordinal()];
    }

    /** The line {@code sysctl NAME} prints: {@code net.ipv4.tcp_syncookies = 1}. */
    public String line(Sysctl s) {
        return s.sysctlName() + " = " + strings[s.ordinal()].replace(" ", "\t");
    }

    /** Every setting as {@code sysctl -a} prints it, sorted by name. */
    public List<String> all() {
        List<String> out = new ArrayList<>();
        for (Sysctl s : Sysctl.values()) out.add(line(s));
        out.sort(null);
        return out;
    }

    public static Sysctl require(String name) {
        Sysctl s = Sysctl.byName(name);
        if (s == null) throw new IllegalArgumentException("unknown sysctl '" + name.trim() + "'");
        return s;
    }

    private static String format(long[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) b.append(' ');
            b.append(v[i]);
        }
        return b.toString();
    }
}
