package io.threeway.conformance.script;

import java.util.List;

/**
 * An argument or result of a system call line, as packetdrill's grammar has them: {@code 3}, {@code 0x02},
 * {@code -1}, {@code O_NONBLOCK}, {@code O_RDWR | O_NONBLOCK}, {@code ...}, {@code [1]}, {@code "text"},
 * {@code "text"...}, {@code htons(8080)}, and braces: {@code {fd=3, events=POLLIN}} (pollfd),
 * {@code {onoff=1, linger=0}}, {@code {..., 1000}} (iovec), {@code {msg_name(...)=..., msg_iov(1)=[...],
 * msg_flags=0}} (msghdr) and the others {@link StructShapes} checks.
 */
public sealed interface Expr {
    /** Where the expression starts. */
    SourcePos pos();

    /** An integer literal (decimal or hex, possibly negative). */
    record Num(SourcePos pos, long value) implements Expr { }

    /** A symbolic constant such as {@code SOL_SOCKET} or {@code ECONNRESET}. */
    record Sym(SourcePos pos, String name) implements Expr { }

    /** A quoted string (adjacent strings concatenated); {@code "abc"...} has {@code prefix} set: it starts so. */
    record Str(SourcePos pos, String value, boolean prefix) implements Expr { }

    /** {@code ...}: "anything"; as an argument, the runner supplies a sensible value (an address, a buffer). */
    record Ellipsis(SourcePos pos) implements Expr { }

    /** {@code a | b}: a bitwise or of flags. */
    record Or(SourcePos pos, List<Expr> terms) implements Expr { }

    /** {@code [a, b]}: an array, or a pointer to one value ({@code [1]} for an int option). */
    record Array(SourcePos pos, List<Expr> elements) implements Expr { }

    /** {@code {a, b}} or {@code {name=value, ...}}: a struct or a list in braces; named members are {@link Assign}. */
    record Struct(SourcePos pos, List<Expr> elements) implements Expr {

        /** The value of the member {@code name=...} (or {@code name(...)=...}), or null. */
        public Expr field(String name) {
            Assign a = member(name);
            return a == null ? null : a.value();
        }

        /** The member {@code name=...}, or null. */
        public Assign member(String name) {
            for (Expr e : elements) if (e instanceof Assign a && a.name().equals(name)) return a;
            return null;
        }

        /** The name of the first member, or null when it is not {@code name=...}. */
        public String firstName() {
            return !elements.isEmpty() && elements.get(0) instanceof Assign a ? a.name() : null;
        }
    }

    /** {@code name=value}, or {@code name(index)=value} ({@code msg_iov(1)=[...]}); {@code index} null when absent. */
    record Assign(SourcePos pos, String name, Expr index, Expr value) implements Expr { }

    /** {@code htons(8080)}, {@code inet_addr("192.0.2.1")}, {@code inet6_addr("::1")}. */
    record Call(SourcePos pos, String name, List<Expr> args) implements Expr { }

    /** Renders the expression as a script would write it. */
    static String text(Expr e) {
        return switch (e) {
            case Num n -> Long.toString(n.value());
            case Sym s -> s.name();
            case Str s -> '"' + s.value() + '"' + (s.prefix() ? "..." : "");
            case Ellipsis el -> "...";
            case Or o -> String.join(" | ", o.terms().stream().map(Expr::text).toList());
            case Array a -> "[" + list(a.elements()) + "]";
            case Struct s -> "{" + list(s.elements()) + "}";
            case Assign a -> a.name() + (a.index() == null ? "" : "(" + text(a.index()) + ")") + "=" + text(a.value());
            case Call c -> c.name() + "(" + list(c.args()) + ")";
        };
    }

    private static String list(List<Expr> es) {
        return String.join(", ", es.stream().map(Expr::text).toList());
    }
}
