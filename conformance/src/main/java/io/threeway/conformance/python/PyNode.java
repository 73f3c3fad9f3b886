package io.threeway.conformance.python;

import java.util.List;

/** The subset's syntax tree: statements and expressions, each knowing its line. */
sealed interface PyNode {
    int line();

    /** {@code assert test[, message]}. */
    record Assert(int line, PyNode test, PyNode message) implements PyNode { }

    /** {@code name = value} or {@code name op= value} ({@code op} is "" for a plain assignment). */
    record Assign(int line, String name, String op, PyNode value) implements PyNode { }

    /** An expression evaluated for its effect ({@code print(x)}). */
    record ExprStmt(int line, PyNode expr) implements PyNode { }

    /** {@code pass}. */
    record Pass(int line) implements PyNode { }

    /** A literal: a Long, a Double, a String, a Boolean, or null for None. */
    record Const(int line, Object value) implements PyNode { }

    record Name(int line, String name) implements PyNode { }

    /** {@code -x}, {@code +x}, {@code ~x}, {@code not x}. */
    record Unary(int line, String op, PyNode operand) implements PyNode { }

    /** Arithmetic, bitwise and {@code %} formatting. */
    record Binary(int line, String op, PyNode left, PyNode right) implements PyNode { }

    /** {@code a < b <= c}: a chain, each pair compared, all must hold. */
    record Compare(int line, List<PyNode> operands, List<String> ops) implements PyNode { }

    /** {@code a and b}, {@code a or b}: Python's short-circuit, returning an operand. */
    record Logical(int line, String op, PyNode left, PyNode right) implements PyNode { }

    record Tuple(int line, List<PyNode> items) implements PyNode { }

    /** A call of a builtin the subset has ({@code print}, {@code abs}, {@code min}, {@code max}, {@code int}, {@code len}, {@code str}). */
    record Call(int line, String function, List<PyNode> args) implements PyNode { }
}
