package io.threeway.conformance.python;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Python's values in the subset, as Java objects: int as Long (64 bits; beyond is unsupported), float as Double,
 * str as String, bool as Boolean, None as null, tuple as List. Truth, arithmetic, comparison and {@code str()}.
 */
final class PyValues {
    private PyValues() {}

    static Object number(PyToken k) {
        String s = k.text().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("0x")) return Long.parseLong(s.substring(2), 16);
            if (s.startsWith("0o")) return Long.parseLong(s.substring(2), 8);
            if (s.startsWith("0b")) return Long.parseLong(s.substring(2), 2);
            if (s.contains(".") || s.contains("e")) return Double.parseDouble(s);
            if (s.length() > 1 && s.startsWith("0") && !s.matches("0+")) throw new PyError(k.line(), "SyntaxError: leading zeros in a decimal integer");
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new PyUnsupported("line " + k.line() + ": the number " + k.text());
        }
    }

    static boolean truth(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            default -> true;
        };
    }

    /** An int operand: Long, or a Boolean as 0/1; else null. */
    static Long asLong(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof Boolean b) return b ? 1L : 0L;
        return null;
    }

    static Double asDouble(Object v) {
        Long l = asLong(v);
        if (l != null) return (double) l;
        return v instanceof Double d ? d : null;
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case List<?> l -> "tuple";
            default -> v.getClass().getSimpleName();
        };
    }

    /** Python's str(). */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e16 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
            case String s -> s;
            case List<?> l -> {
                StringBuilder b = new StringBuilder("(");
                for (int k = 0; k < l.size(); k++) {
                    if (k > 0) b.append(", ");
                    b.append(l.get(k) instanceof String s ? "'" + s + "'" : str(l.get(k)));
                }
                yield b.append(l.size() == 1 ? ",)" : ")").toString();
            }
            default -> v.toString();
        };
    }

    /** Equality as Python's == (numbers across int, float and bool). */
    static boolean equal(Object a, Object b) {
        Double x = asDouble(a);
        Double y = asDouble(b);
        if (x != null && y != null) {
            Long la = asLong(a);
            Long lb = asLong(b);
            return la != null && lb != null ? la.longValue() == lb.longValue() : x.doubleValue() == y.doubleValue();
        }
        return Objects.equals(a, b);
    }

    /** The order of two values for < and friends, or a TypeError. */
    static int order(Object a, Object b, int line) {
        Long la = asLong(a);
        Long lb = asLong(b);
        if (la != null && lb != null) return Long.compare(la, lb);
        Double x = asDouble(a);
        Double y = asDouble(b);
        if (x != null && y != null) return Double.compare(x, y);
        if (a instanceof String s && b instanceof String u) return s.compareTo(u);
        throw new PyError(line, "TypeError: '<' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
    }
}
