package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.ScriptException;
import java.util.List;

/** Reading a system call line's arguments: integers, names, buffers, and the values a call writes back. */
final class Args {
    private Args() {}

    /** Argument {@code i} as an integer; {@code ...} reads as 0. */
    static long num(Event.Syscall call, int i) {
        List<Expr> a = call.args();
        if (i >= a.size()) throw new ScriptException(call.pos(), call.name() + " needs at least " + (i + 1) + " arguments");
        Expr e = a.get(i);
        if (e instanceof Expr.Ellipsis) return 0;
        return eval(e);
    }

    /** Argument {@code i} as an integer, or {@code fallback} when the call has fewer arguments. */
    static long num(Event.Syscall call, int i, long fallback) {
        return i < call.args().size() ? num(call, i) : fallback;
    }

    /** Argument {@code i} as a name ({@code SO_RCVBUF}). */
    static String symbol(Event.Syscall call, int i) {
        if (i < call.args().size() && call.args().get(i) instanceof Expr.Sym s) return s.name();
        throw new ScriptException(call.pos(), "argument " + (i + 1) + " of " + call.name() + " must be a name such as SO_RCVBUF");
    }

    /** Whether argument {@code i} is a NULL pointer (a buffer the kernel cannot copy: EFAULT). */
    static boolean isNull(Event.Syscall call, int i) {
        if (i >= call.args().size()) return false;
        Expr e = call.args().get(i);
        return e instanceof Expr.Sym s && s.name().equals("NULL") || e instanceof Expr.Num n && n.value() == 0;
    }

    /** {@code [v]}: the one value a pointer argument points to, or null when it is {@code ...} or absent. */
    static Expr pointee(Event.Syscall call, int i) {
        if (i >= call.args().size()) return null;
        if (call.args().get(i) instanceof Expr.Array arr && arr.elements().size() == 1 && !(arr.elements().get(0) instanceof Expr.Ellipsis)) {
            return arr.elements().get(0);
        }
        return null;
    }

    /** The integer value of an expression; names are Linux's constants and errno names. */
    static long eval(Expr e) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Sym s -> {
                Long v = Constants.value(s.name());
                if (v == null) throw new ScriptException(s.pos(), "unknown name '" + s.name() + "'");
                yield v;
            }
            case Expr.Or o -> {
                long v = 0;
                for (Expr t : o.terms()) v |= eval(t);
                yield v;
            }
            case Expr.Call c when c.name().equals("htons") && c.args().size() == 1 -> eval(c.args().get(0));
            default -> throw new ScriptException(e.pos(), "expected a number, found " + Expr.text(e));
        };
    }

    /** A struct's member as an integer; throws naming the member when it is missing. */
    static long field(Expr.Struct st, String name) {
        Expr e = st.field(name);
        if (e == null) throw new ScriptException(st.pos(), "missing member '" + name + "'");
        return eval(e);
    }

    /** The total length of an iovec array ({@code [{..., 1000}, {..., 500}]}). */
    static long iovLength(Expr iov) {
        if (!(iov instanceof Expr.Array arr)) throw new ScriptException(iov.pos(), "expected an iovec array [{..., len}, ...]");
        long total = 0;
        for (Expr e : arr.elements()) {
            if (!(e instanceof Expr.Struct s) || s.elements().size() != 2) throw new ScriptException(e.pos(), "an iovec is {..., len}");
            total += eval(s.elements().get(1));
        }
        return total;
    }

    /** Compares a value the call wrote back with what the script expects; null when they agree. */
    static String compareOut(String what, long actual, Expr expected) {
        if (expected == null || expected instanceof Expr.Ellipsis) return null;
        long want = eval(expected);
        return want == actual ? null : what + " is " + actual + ", the script expected " + Expr.text(expected);
    }
}
