package io.threeway.conformance.python;

import java.util.List;

/** The operators and builtins of the subset, with Python's rules (floor division, modulo's sign, bool as int). */
final class PyOps {
    private PyOps() {}

    static Object unary(String op, Object v, int line) {
        if (op.equals("not")) return !PyValues.truth(v);
        Long l = PyValues.asLong(v);
        if (l != null) {
            return switch (op) {
                case "-" -> Math.negateExact(l);
                case "+" -> l;
                default -> ~l;
            };
        }
        if (v instanceof Double d && !op.equals("~")) return op.equals("-") ? -d : d;
        throw new PyError(line, "TypeError: bad operand type for unary " + op + ": '" + PyValues.typeName(v) + "'");
    }

    static Object binary(String op, Object a, Object b, int line) {
        if (op.equals("%") && a instanceof String fmt) return PyFormat.format(fmt, b, line);
        if (op.equals("+") && a instanceof String s && b instanceof String t) return s + t;
        Long x = PyValues.asLong(a);
        Long y = PyValues.asLong(b);
        try {
            if (x != null && y != null && !op.equals("/")) return ints(op, x, y, line);
        } catch (ArithmeticException e) {
            if (e.getMessage() != null && e.getMessage().contains("by zero")) throw new PyError(line, "ZeroDivisionError: integer division or modulo by zero");
            throw new PyUnsupported("line " + line + ": integers beyond 64 bits");
        }
        Double dx = PyValues.asDouble(a);
        Double dy = PyValues.asDouble(b);
        if (dx != null && dy != null) return floats(op, dx, dy, line);
        throw new PyError(line, "TypeError: unsupported operand type(s) for " + op + ": '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
    }

    private static Object ints(String op, long x, long y, int line) {
        return switch (op) {
            case "+" -> Math.addExact(x, y);
            case "-" -> Math.subtractExact(x, y);
            case "*" -> Math.multiplyExact(x, y);
            case "//" -> Math.floorDiv(x, y);
            case "%" -> Math.floorMod(x, y);
            case "**" -> {
                if (y < 0) yield Math.pow(x, y);
                long r = 1;
                long base = x;
                for (long e = y; e > 0; e >>= 1) { // by squaring: 1 ** 10**12 takes 40 steps, not 10**12
                    if ((e & 1) != 0) r = Math.multiplyExact(r, base);
                    if (e > 1) base = Math.multiplyExact(base, base);
                }
                yield r;
            }
            case "<<" -> {
                if (y < 0) throw new PyError(line, "ValueError: negative shift count");
                if (y >= 63 || Long.numberOfLeadingZeros(Math.abs(x)) <= y) throw new ArithmeticException("overflow");
                yield x << y;
            }
            case ">>" -> {
                if (y < 0) throw new PyError(line, "ValueError: negative shift count");
                yield x >> Math.min(y, 63);
            }
            case "&" -> x & y;
            case "|" -> x | y;
            case "^" -> x ^ y;
            default -> throw new PyUnsupported("line " + line + ": operator " + op);
        };
    }

    private static Object floats(String op, double x, double y, int line) {
        if ((op.equals("/") || op.equals("//") || op.equals("%")) && y == 0) throw new PyError(line, "ZeroDivisionError: float division by zero");
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / y;
            case "//" -> Math.floor(x / y);
            case "%" -> x - Math.floor(x / y) * y;
            case "**" -> Math.pow(x, y);
            default -> throw new PyError(line, "TypeError: unsupported operand type(s) for " + op + ": 'float'");
        };
    }

    static boolean compare(String op, Object a, Object b, int line) {
        return switch (op) {
            case "==" -> PyValues.equal(a, b);
            case "!=" -> !PyValues.equal(a, b);
            case "<" -> PyValues.order(a, b, line) < 0;
            case "<=" -> PyValues.order(a, b, line) <= 0;
            case ">" -> PyValues.order(a, b, line) > 0;
            default -> PyValues.order(a, b, line) >= 0;
        };
    }

    static Object builtin(String f, List<Object> args, int line) {
        switch (f) {
            case "abs" -> {
                one(f, args, line);
                Object v = args.get(0);
                return PyValues.asLong(v) != null ? Math.abs(PyValues.asLong(v)) : Math.abs(number(v, line));
            }
            case "int" -> {
                one(f, args, line);
                Object v = args.get(0);
                if (PyValues.asLong(v) != null) return PyValues.asLong(v);
                if (v instanceof Double d) return (long) (double) d;
                try {
                    return Long.parseLong(PyValues.str(v).trim());
                } catch (NumberFormatException e) {
                    throw new PyError(line, "ValueError: invalid literal for int(): '" + PyValues.str(v) + "'");
                }
            }
            case "str" -> {
                one(f, args, line);
                return PyValues.str(args.get(0));
            }
            case "len" -> {
                one(f, args, line);
                Object v = args.get(0);
                if (v instanceof String s) return (long) s.length();
                if (v instanceof List<?> l) return (long) l.size();
                throw new PyError(line, "TypeError: object of type '" + PyValues.typeName(v) + "' has no len()");
            }
            default -> {
                if (args.isEmpty()) throw new PyError(line, "TypeError: " + f + " expected at least 1 argument");
                List<?> items = args.size() == 1 && args.get(0) instanceof List<?> l ? l : args;
                Object best = items.get(0);
                for (Object o : items) {
                    int c = PyValues.order(o, best, line);
                    if (f.equals("min") ? c < 0 : c > 0) best = o;
                }
                return best;
            }
        }
    }

    private static void one(String f, List<Object> args, int line) {
        if (args.size() != 1) throw new PyError(line, "TypeError: " + f + "() takes exactly one argument (" + args.size() + " given)");
    }

    private static double number(Object v, int line) {
        Double d = PyValues.asDouble(v);
        if (d == null) throw new PyError(line, "TypeError: bad operand type for abs(): '" + PyValues.typeName(v) + "'");
        return d;
    }
}
