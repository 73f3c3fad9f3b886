package io.threeway.conformance.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** System call lines and their expressions (parser.y's {@code syscall_spec} and {@code expression}). */
final class ExprParser {
    /** Words that take a parenthesised argument: packetdrill's reserved {@code htons}, {@code inet_addr}... */
    private static final Set<String> CALLS = Set.of("htons", "inet_addr", "inet6_addr");
    /** Members written {@code name(index)=value}. */
    private static final Set<String> INDEXED = Set.of("msg_name", "msg_iov");

    private ExprParser() {}

    /** {@code name(args) = result [ERRNO] [(note)]}, after the event's time. */
    static Event.Syscall syscall(Tokens t, SourcePos pos, EventTime time, String text) {
        String name = t.expect(Token.Kind.WORD, "a system call name").text();
        t.expect('(');
        List<Expr> args = t.at(')') ? List.of() : list(t, ')');
        t.expect(')');
        t.expect('=');
        Expr result = expr(t);
        String errno = null;
        if (t.at(Token.Kind.WORD)) errno = t.next().text();
        String note = t.at('(') ? note(t) : null;
        return new Event.Syscall(pos, time, text, name, List.copyOf(args), result, errno, note);
    }

    /** {@code (words...)}: an errno's description or a comment on the result, kept as written. */
    private static String note(Tokens t) {
        Token open = t.expect('(');
        StringBuilder b = new StringBuilder();
        while (!t.at(')')) {
            if (t.atEnd()) throw new ScriptException(open.pos(), "missing ')' after the note");
            if (!b.isEmpty()) b.append(' ');
            b.append(t.next().text());
        }
        t.next();
        return b.toString();
    }

    /** Expressions separated by commas, up to (not including) {@code close}. */
    static List<Expr> list(Tokens t, char close) {
        List<Expr> out = new ArrayList<>();
        do {
            out.add(expr(t));
        } while (t.accept(','));
        if (!t.at(close)) throw t.error("expected ',' or '" + close + "'");
        return out;
    }

    /** An expression: terms joined by {@code |}. */
    static Expr expr(Tokens t) {
        SourcePos pos = t.peek().pos();
        Expr first = primary(t);
        if (!t.at('|')) return first;
        List<Expr> terms = new ArrayList<>(List.of(first));
        while (t.accept('|')) terms.add(primary(t));
        return new Expr.Or(pos, List.copyOf(terms));
    }

    private static Expr primary(Tokens t) {
        Token k = t.peek();
        SourcePos pos = k.pos();
        switch (k.kind()) {
            case ELLIPSIS -> {
                t.next();
                return new Expr.Ellipsis(pos);
            }
            case INTEGER, HEX -> {
                return new Expr.Num(pos, t.next().value());
            }
            case STRING -> {
                return string(t);
            }
            case WORD -> {
                return word(t);
            }
            case CHAR -> {
                if (t.accept('[')) {
                    List<Expr> elements = t.at(']') ? List.of() : list(t, ']');
                    t.expect(']');
                    return new Expr.Array(pos, List.copyOf(elements));
                }
                if (t.accept('{')) {
                    List<Expr> elements = t.at('}') ? List.of() : list(t, '}');
                    t.expect('}');
                    Expr.Struct s = new Expr.Struct(pos, List.copyOf(elements));
                    StructShapes.check(s);
                    return s;
                }
            }
            default -> { }
        }
        throw t.error("expected an expression");
    }

    /** Adjacent strings concatenate; {@code "abc"...} is a prefix. */
    private static Expr string(Tokens t) {
        SourcePos pos = t.peek().pos();
        StringBuilder b = new StringBuilder();
        while (t.at(Token.Kind.STRING)) b.append(t.next().text());
        boolean prefix = t.at(Token.Kind.ELLIPSIS);
        if (prefix) t.next();
        return new Expr.Str(pos, b.toString(), prefix);
    }

    /** A symbol, {@code name=value}, {@code name(index)=value} or {@code htons(...)}. */
    private static Expr word(Tokens t) {
        Token w = t.next();
        SourcePos pos = w.pos();
        Expr index = null;
        if (t.at('(') && (CALLS.contains(w.text()) || INDEXED.contains(w.text()))) {
            t.next();
            List<Expr> args = t.at(')') ? List.of() : list(t, ')');
            t.expect(')');
            if (CALLS.contains(w.text())) return new Expr.Call(pos, w.text(), List.copyOf(args));
            if (args.size() != 1) throw new ScriptException(pos, w.text() + "(...) takes one value in parentheses");
            index = args.get(0);
            if (!t.at('=')) throw t.error("expected '=' after " + w.text() + "(...)");
        }
        if (t.accept('=')) return new Expr.Assign(pos, w.text(), index, expr(t));
        return new Expr.Sym(pos, w.text());
    }
}
