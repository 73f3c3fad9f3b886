package io.threeway.conformance.python;

/**
 * A token of the Python subset: a name, a number, a string, an operator, or the end of a logical line.
 *
 * @param kind what sort of token
 * @param text the characters (a string's value without its quotes)
 * @param line the line within the code block, from 1
 */
record PyToken(Kind kind, String text, int line) {
    /** The token kinds. */
    enum Kind { NAME, NUMBER, STRING, OP, NEWLINE, END }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
    }
}
