package io.threeway.conformance.script;

import java.util.List;

/**
 * An argument or result of a system call line: {@code 3}, {@code 0x02}, {@code -1}, {@code O_NONBLOCK},
 * {@code O_RDWR | O_NONBLOCK}, {@code ...}, {@code [1]}, {@code [ECONNRESET]}, {@code "text"},
 * {@code {fd=3, events=POLLIN}}.
 */
public sealed interface Expr {
    /** Where the expression starts. */
    SourcePos pos();

    /** An integer literal (decimal or hex, possibly negative). */
    record Num(SourcePos pos, long value) implements Expr { }

    /** A symbolic constant such as {@code SOL_SOCKET} or {@code ECONNRESET}. */
    record Sym(SourcePos pos, String name) implements Expr { }

    /** A quoted string. */
    record Str(SourcePos pos, String value) implements Expr { }

    /** {@code ...}: "anything"; as an argument, the runner supplies a sensible value (an address, a buffer). */
    record Ellipsis(SourcePos pos) implements Expr { }

    /** {@code a | b}: a bitwise or of flags. */
    record Or(SourcePos pos, List<Expr> terms) implements Expr { }

    /** {@code [a, b]}: an array, or a pointer to one value ({@code [1]} for an int option). */
    record Array(SourcePos pos, List<Expr> elements) implements Expr { }

    /** {@code {name=value, ...}}: a struct, such as a pollfd or a linger. */
    record Struct(SourcePos pos, List<Field> fields) implements Expr { }

    /** One field of a struct literal. */
    record Field(String name, Expr value) { }

    /** Renders the expression as a script would write it. */
    static String text(Expr e) {
        return switch (e) {
            case Num n -> Long.toString(n.value());
            case Sym s -> s.name();
            case Str s -> '"' + s.value() + '"';
            case Ellipsis el -> "...";
            case Or o -> String.join(" | ", o.terms().stream().map(Expr::text).toList());
            case Array a -> "[" + String.join(", ", a.elements().stream().map(Expr::text).toList()) + "]";
            case Struct s -> "{" + String.join(", ", s.fields().stream().map(f -> f.name() + "=" + text(f.value())).toList()) + "}";
        };
    }
}
