package io.threeway.conformance.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the Python subset packetdrill's {@code %{ }%} blocks use, with Python's precedence: statements
 * ({@code assert}, assignment and augmented assignment, expression statements, {@code pass}) separated by
 * newlines or {@code ;}; expressions with {@code or}, {@code and}, {@code not}, comparison chains, {@code | ^ &},
 * shifts, {@code + -}, {@code * / // %}, unary {@code - + ~}, {@code **}, parentheses and tuples, literals,
 * names and calls of a few builtins. Anything else is {@link PyUnsupported}.
 */
final class PyParser {
    private static final Set<String> UNSUPPORTED = Set.of("def", "class", "for", "while", "if", "elif", "else", "try", "except",
            "finally", "import", "from", "lambda", "with", "return", "yield", "global", "nonlocal", "del", "raise", "in", "is",
            "async", "await", "break", "continue");
    private static final Set<String> BUILTINS = Set.of("print", "abs", "min", "max", "int", "len", "str");
    private static final Set<String> AUGMENTED = Set.of("+=", "-=", "*=", "//=", "%=", "|=", "&=", "^=", "<<=", ">>=");
    private static final Set<String> COMPARISONS = Set.of("<", ">", "==", ">=", "<=", "!=");

    private final List<PyToken> t;
    private int i;

    private PyParser(List<PyToken> tokens) {
        this.t = tokens;
    }

    /** The statements of a block. */
    static List<PyNode> parse(String code) {
        PyParser p = new PyParser(PyLexer.tokens(code));
        List<PyNode> out = new ArrayList<>();
        while (p.peek().kind() != PyToken.Kind.END) {
            if (p.accept("\n") || p.accept(";")) continue;
            out.add(p.statement());
            if (!p.accept(";") && !p.accept("\n") && p.peek().kind() != PyToken.Kind.END) throw p.syntax();
        }
        return out;
    }

    private PyToken peek() {
        return t.get(i);
    }

    private PyToken next() {
        return t.get(i++);
    }

    private boolean accept(String s) {
        PyToken k = peek();
        if (k.kind() == PyToken.Kind.NEWLINE ? s.equals("\n") : k.is(s)) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!accept(s)) throw syntax();
    }

    private PyError syntax() {
        return new PyError(peek().line(), "SyntaxError: invalid syntax at '" + peek().text().replace("\n", "\\n") + "'");
    }

    private PyNode statement() {
        PyToken k = peek();
        if (k.kind() == PyToken.Kind.NAME && UNSUPPORTED.contains(k.text())) throw new PyUnsupported("line " + k.line() + ": '" + k.text() + "'");
        if (k.is("assert")) {
            next();
            PyNode test = test();
            PyNode message = accept(",") ? test() : null;
            return new PyNode.Assert(k.line(), test, message);
        }
        if (k.is("pass")) {
            next();
            return new PyNode.Pass(k.line());
        }
        PyToken after = t.get(i + 1);
        if (k.kind() == PyToken.Kind.NAME && after.kind() == PyToken.Kind.OP && (after.text().equals("=") || AUGMENTED.contains(after.text()))) {
            i += 2;
            return new PyNode.Assign(k.line(), k.text(), after.text().equals("=") ? "" : after.text().substring(0, after.text().length() - 1), test());
        }
        return new PyNode.ExprStmt(k.line(), test());
    }

    private PyNode test() {
        PyNode left = andTest();
        while (peek().is("or")) {
            int line = next().line();
            left = new PyNode.Logical(line, "or", left, andTest());
        }
        return left;
    }

    private PyNode andTest() {
        PyNode left = notTest();
        while (peek().is("and")) {
            int line = next().line();
            left = new PyNode.Logical(line, "and", left, notTest());
        }
        return left;
    }

    private PyNode notTest() {
        if (peek().is("not")) {
            int line = next().line();
            return new PyNode.Unary(line, "not", notTest());
        }
        return comparison();
    }

    private PyNode comparison() {
        int line = peek().line();
        List<PyNode> operands = new ArrayList<>(List.of(binary(0)));
        List<String> ops = new ArrayList<>();
        while (peek().kind() == PyToken.Kind.OP && COMPARISONS.contains(peek().text()) || peek().is("in") || peek().is("is")) {
            if (peek().kind() == PyToken.Kind.NAME) throw new PyUnsupported("line " + line + ": '" + peek().text() + "'");
            ops.add(next().text());
            operands.add(binary(0));
        }
        return ops.isEmpty() ? operands.get(0) : new PyNode.Compare(line, List.copyOf(operands), List.copyOf(ops));
    }

    /** Binary operators by precedence level: | then ^ then & then shifts then + - then * / // %. */
    private static final List<Set<String>> LEVELS = List.of(Set.of("|"), Set.of("^"), Set.of("&"), Set.of("<<", ">>"),
            Set.of("+", "-"), Set.of("*", "/", "//", "%"));

    private PyNode binary(int level) {
        if (level == LEVELS.size()) return factor();
        PyNode left = binary(level + 1);
        while (peek().kind() == PyToken.Kind.OP && LEVELS.get(level).contains(peek().text())) {
            PyToken op = next();
            left = new PyNode.Binary(op.line(), op.text(), left, binary(level + 1));
        }
        return left;
    }

    private PyNode factor() {
        PyToken k = peek();
        if (k.kind() == PyToken.Kind.OP && (k.text().equals("-") || k.text().equals("+") || k.text().equals("~"))) {
            next();
            return new PyNode.Unary(k.line(), k.text(), factor());
        }
        PyNode base = atom();
        if (accept("**")) return new PyNode.Binary(k.line(), "**", base, factor());
        return base;
    }

    private PyNode atom() {
        PyToken k = next();
        switch (k.kind()) {
            case NUMBER -> {
                return new PyNode.Const(k.line(), PyValues.number(k));
            }
            case STRING -> {
                StringBuilder b = new StringBuilder(k.text());
                while (peek().kind() == PyToken.Kind.STRING) b.append(next().text());
                return new PyNode.Const(k.line(), b.toString());
            }
            case NAME -> {
                return name(k);
            }
            case OP -> {
                if (k.text().equals("(")) return parenthesised(k);
                if (k.text().equals("[") || k.text().equals("{")) throw new PyUnsupported("line " + k.line() + ": lists, dicts and sets");
            }
            default -> { }
        }
        i--;
        throw syntax();
    }

    private PyNode name(PyToken k) {
        switch (k.text()) {
            case "True" -> { return new PyNode.Const(k.line(), Boolean.TRUE); }
            case "False" -> { return new PyNode.Const(k.line(), Boolean.FALSE); }
            case "None" -> { return new PyNode.Const(k.line(), null); }
            default -> { }
        }
        if (UNSUPPORTED.contains(k.text())) throw new PyUnsupported("line " + k.line() + ": '" + k.text() + "'");
        if (peek().is(".")) throw new PyUnsupported("line " + k.line() + ": attributes ('" + k.text() + ".')");
        if (!accept("(")) return new PyNode.Name(k.line(), k.text());
        if (!BUILTINS.contains(k.text())) throw new PyUnsupported("line " + k.line() + ": a call of " + k.text() + "()");
        List<PyNode> args = new ArrayList<>();
        while (!accept(")")) {
            args.add(test());
            if (!peek().is(")")) expect(",");
        }
        return new PyNode.Call(k.line(), k.text(), List.copyOf(args));
    }

    private PyNode parenthesised(PyToken open) {
        if (accept(")")) return new PyNode.Tuple(open.line(), List.of());
        PyNode first = test();
        if (accept(")")) return first;
        List<PyNode> items = new ArrayList<>(List.of(first));
        while (accept(",")) {
            if (peek().is(")")) break;
            items.add(test());
        }
        expect(")");
        return new PyNode.Tuple(open.line(), List.copyOf(items));
    }
}
