package io.threeway.conformance.script;

import java.util.List;

/** A cursor over a script's tokens, with the look-ahead and error messages the parsers share. */
final class Tokens {
    private final List<Token> list;
    private int i;

    Tokens(List<Token> list) {
        this.list = list;
    }

    Token peek() {
        return list.get(i);
    }

    /** The token {@code k} places ahead (0 is {@link #peek()}); EOF past the end. */
    Token peek(int k) {
        return list.get(Math.min(i + k, list.size() - 1));
    }

    Token next() {
        Token t = list.get(i);
        if (t.kind() != Token.Kind.EOF) i++;
        return t;
    }

    boolean atEnd() {
        return peek().kind() == Token.Kind.EOF;
    }

    /** The previous token (the last one taken). */
    Token previous() {
        return list.get(Math.max(0, i - 1));
    }

    boolean at(char c) {
        return peek().is(c);
    }

    boolean atWord(String w) {
        return peek().isWord(w);
    }

    boolean at(Token.Kind k) {
        return peek().kind() == k;
    }

    /** Consumes the character {@code c} if it comes next. */
    boolean accept(char c) {
        if (!at(c)) return false;
        next();
        return true;
    }

    boolean acceptWord(String w) {
        if (!atWord(w)) return false;
        next();
        return true;
    }

    Token expect(char c) {
        if (!at(c)) throw error("expected '" + c + "'");
        return next();
    }

    Token expect(Token.Kind k, String what) {
        if (!at(k)) throw error("expected " + what);
        return next();
    }

    void expectWord(String w) {
        if (!atWord(w)) throw error("expected '" + w + "'");
        next();
    }

    /** An integer (decimal or hex) as a long. */
    long integer(String what) {
        if (!at(Token.Kind.INTEGER) && !at(Token.Kind.HEX)) throw error("expected " + what);
        return next().value();
    }

    /** An error at the next token: {@code message, found X}. */
    ScriptException error(String message) {
        return new ScriptException(peek().pos(), message + ", found " + peek().describe());
    }
}
