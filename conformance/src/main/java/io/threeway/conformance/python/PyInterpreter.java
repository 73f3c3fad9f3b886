package io.threeway.conformance.python;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs compiled blocks of the Python subset in one global namespace, as packetdrill's one code file does (a
 * variable a block sets, {@code cwnd = 10}, is there for the next). The runner sets the TCP_INFO snapshot's
 * {@code tcpi_*} names and packetdrill's constants before each block. Executes nothing but this evaluator: no
 * Python runs.
 */
public final class PyInterpreter {
    private final Map<String, Object> globals = new HashMap<>();
    /** What {@code print()} wrote, line by line. */
    private final List<String> printed = new ArrayList<>();
    /** Names the block may read that the runner cannot provide, with why (a TCP_INFO field the stack lacks). */
    private final Map<String, String> missing = new HashMap<>();

    /** Sets a global to an int. */
    public void set(String name, long value) {
        globals.put(name, value);
        missing.remove(name);
    }

    /** Declares a name that cannot be given a value, and why: reading it is an error naming the reason. */
    public void missing(String name, String why) {
        globals.remove(name);
        missing.put(name, why);
    }

    public List<String> printed() {
        return List.copyOf(printed);
    }

    /** Runs a block; a failed assert or any other Python error is a {@link PyError}. */
    public void run(PyBlock block) {
        for (PyNode s : block.statements) exec(s);
    }

    private void exec(PyNode s) {
        switch (s) {
            case PyNode.Assert a -> {
                if (!PyValues.truth(eval(a.test()))) {
                    String msg = a.message() == null ? "" : ": " + PyValues.str(eval(a.message()));
                    throw new PyError(a.line(), "AssertionError" + msg);
                }
            }
            case PyNode.Assign a -> {
                Object v = eval(a.value());
                if (!a.op().isEmpty()) v = PyOps.binary(a.op(), read(a.line(), a.name()), v, a.line());
                globals.put(a.name(), v);
            }
            case PyNode.ExprStmt e -> eval(e.expr());
            case PyNode.Pass p -> { }
            default -> throw new PyUnsupported("line " + s.line() + ": statement " + s.getClass().getSimpleName());
        }
    }

    private Object read(int line, String name) {
        if (globals.containsKey(name)) return globals.get(name);
        String why = missing.get(name);
        if (why != null) throw new PyError(line, "NameError: " + name + " (" + why + ")");
        throw new PyError(line, "NameError: name '" + name + "' is not defined");
    }

    Object eval(PyNode n) {
        return switch (n) {
            case PyNode.Const c -> c.value();
            case PyNode.Name nm -> read(nm.line(), nm.name());
            case PyNode.Unary u -> PyOps.unary(u.op(), eval(u.operand()), u.line());
            case PyNode.Binary b -> PyOps.binary(b.op(), eval(b.left()), eval(b.right()), b.line());
            case PyNode.Compare c -> compare(c);
            case PyNode.Logical l -> {
                Object left = eval(l.left());
                boolean t = PyValues.truth(left);
                yield l.op().equals("and") ? (t ? eval(l.right()) : left) : (t ? left : eval(l.right()));
            }
            case PyNode.Tuple t -> {
                List<Object> items = new ArrayList<>();
                for (PyNode item : t.items()) items.add(eval(item));
                yield items;
            }
            case PyNode.Call c -> call(c);
            default -> throw new PyUnsupported("line " + n.line() + ": " + n.getClass().getSimpleName());
        };
    }

    private Object compare(PyNode.Compare c) {
        Object left = eval(c.operands().get(0));
        for (int k = 0; k < c.ops().size(); k++) {
            Object right = eval(c.operands().get(k + 1));
            if (!PyOps.compare(c.ops().get(k), left, right, c.line())) return Boolean.FALSE;
            left = right;
        }
        return Boolean.TRUE;
    }

    private Object call(PyNode.Call c) {
        List<Object> args = new ArrayList<>();
        for (PyNode a : c.args()) args.add(eval(a));
        if (c.function().equals("print")) {
            printed.add(String.join(" ", args.stream().map(PyValues::str).toList()));
            return null;
        }
        return PyOps.builtin(c.function(), args, c.line());
    }
}
