package io.threeway.conformance.python;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a block of the Python subset into tokens: names, integers (decimal, 0x, 0o, 0b), floats, strings in single
 * or double quotes, operators; comments dropped; a backslash at the end of a line and open brackets join lines
 * into one logical line, which ends with a NEWLINE token. A logical line that starts indented is Python's
 * IndentationError.
 */
final class PyLexer {
    private static final String[] OPERATORS = {"**=", "//=", ">>=", "<<=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
        "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "=", "(", ")",
        "[", "]", "{", "}", ",", ":", ";", "."};

    private PyLexer() {}

    static List<PyToken> tokens(String code) {
        List<PyToken> out = new ArrayList<>();
        String s = code.replace("\r", "");
        int i = 0;
        int line = 1;
        int depth = 0;
        boolean lineStart = true;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (lineStart && depth == 0 && (c == ' ' || c == '\t')) {
                int k = i;
                while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) k++;
                if (k < s.length() && s.charAt(k) != '\n' && s.charAt(k) != '#') throw new PyError(line, "IndentationError: unexpected indent");
                i = k;
                continue;
            }
            lineStart = false;
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i += 2;
                line++;
            } else if (c == '\n') {
                if (depth == 0 && !out.isEmpty() && out.get(out.size() - 1).kind() != PyToken.Kind.NEWLINE) out.add(new PyToken(PyToken.Kind.NEWLINE, "\n", line));
                i++;
                line++;
                lineStart = depth == 0;
            } else if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (c == '\'' || c == '"') {
                i = string(s, i, line, out);
            } else if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                i = number(s, i, line, out);
            } else if (Character.isLetter(c) || c == '_') {
                int k = i;
                while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_')) k++;
                out.add(new PyToken(PyToken.Kind.NAME, s.substring(i, k), line));
                i = k;
            } else {
                String op = operator(s, i, line);
                depth += "([{".contains(op) ? 1 : ")]}".contains(op) ? -1 : 0;
                out.add(new PyToken(PyToken.Kind.OP, op, line));
                i += op.length();
            }
        }
        if (!out.isEmpty() && out.get(out.size() - 1).kind() != PyToken.Kind.NEWLINE) out.add(new PyToken(PyToken.Kind.NEWLINE, "\n", line));
        out.add(new PyToken(PyToken.Kind.END, "", line));
        return out;
    }

    private static String operator(String s, int i, int line) {
        for (String op : OPERATORS) if (s.startsWith(op, i)) return op;
        throw new PyUnsupported("line " + line + ": character '" + s.charAt(i) + "'");
    }

    private static int string(String s, int i, int line, List<PyToken> out) {
        char q = s.charAt(i);
        if (s.startsWith(String.valueOf(q).repeat(3), i)) throw new PyUnsupported("line " + line + ": triple-quoted strings");
        StringBuilder b = new StringBuilder();
        int k = i + 1;
        while (k < s.length() && s.charAt(k) != q) {
            char c = s.charAt(k);
            if (c == '\n') throw new PyError(line, "SyntaxError: EOL while scanning string literal");
            if (c == '\\' && k + 1 < s.length()) {
                char e = s.charAt(k + 1);
                b.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; default -> e; });
                k += 2;
            } else {
                b.append(c);
                k++;
            }
        }
        if (k >= s.length()) throw new PyError(line, "SyntaxError: EOL while scanning string literal");
        out.add(new PyToken(PyToken.Kind.STRING, b.toString(), line));
        return k + 1;
    }

    private static int number(String s, int i, int line, List<PyToken> out) {
        int k = i;
        while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '.' || s.charAt(k) == '_')) k++;
        out.add(new PyToken(PyToken.Kind.NUMBER, s.substring(i, k).replace("_", ""), line));
        return k;
    }
}
