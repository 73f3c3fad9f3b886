package io.threeway.conformance.run;

import io.threeway.conformance.python.PyBlock;
import io.threeway.conformance.python.PyError;
import io.threeway.conformance.python.PyInterpreter;
import io.threeway.conformance.python.PyUnsupported;
import io.threeway.conformance.script.Event;
import io.threeway.settings.Sysctls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code %{ }%} blocks as packetdrill handles them (code.c): at its time, a block takes a TCP_INFO snapshot
 * of the socket under test; after the last event, the blocks run in order in one namespace, each with its
 * snapshot's {@code tcpi_*} values and packetdrill's symbols. They run in the runner's own evaluator of the
 * Python subset ({@link PyInterpreter}); no Python is executed. A failed assertion fails the script; a block
 * beyond the subset is reported as not run.
 */
final class CodeBlocks {
    private static final Pattern TCPI = Pattern.compile("\\btcpi_[a-z_0-9]+\\b");

    /** A block and what it saw: the snapshot, or why there was none. */
    private record Taken(Event.Code event, Map<String, Long> info, String noSocket) { }

    private final List<Taken> taken = new ArrayList<>();
    /** FreeBSD's symbols and state numbers instead of Linux's. */
    private final boolean bsd;

    CodeBlocks(boolean bsd) {
        this.bsd = bsd;
    }

    /** At the block's time: TCP_INFO of the socket under test (its connection, or a listening or unconnected socket). */
    void snapshot(Event.Code c, Syscalls.UnderTest target, long now, Sysctls sysctls) {
        if (target == null) {
            taken.add(new Taken(c, Map.of(), "no socket to use for code (no socket() yet)"));
        } else if (target.connection() == null) {
            taken.add(new Taken(c, TcpInfoFields.unconnected(target.listening(), bsd), null));
        } else {
            taken.add(new Taken(c, TcpInfoFields.snapshot(target.connection(), now, sysctls, bsd), null));
        }
    }

    /** After the script: compiles every block, then runs them in order; the first failure ends the run. */
    void evaluate(List<String> notes) {
        List<PyBlock> blocks = new ArrayList<>();
        for (Taken t : taken) {
            try {
                blocks.add(PyBlock.compile(t.event().code()));
            } catch (PyUnsupported e) {
                blocks.add(null);
                notes.add("line " + t.event().pos().line() + ": %{ }% block not run: beyond the evaluator's Python subset (" + e.getMessage() + ")");
            } catch (PyError e) {
                throw failure(t, e, "error in Python code");
            }
        }
        PyInterpreter py = new PyInterpreter();
        for (int k = 0; k < taken.size(); k++) {
            Taken t = taken.get(k);
            if (blocks.get(k) == null) continue;
            if (t.noSocket() != null) throw new Mismatch(t.event().pos() + ": " + t.noSocket(), t.event().text(), "no TCP_INFO", -1);
            (bsd ? TcpInfoFields.BSD_SYMBOLS : TcpInfoFields.SYMBOLS).forEach(py::set);
            for (String name : TcpInfoFields.ALL) {
                Long v = t.info().get(name);
                if (v != null) py.set(name, v);
                else py.missing(name, TcpInfoFields.whyMissing(name));
            }
            try {
                py.run(blocks.get(k));
            } catch (PyUnsupported e) {
                notes.add("line " + t.event().pos().line() + ": %{ }% block not run to its end: " + e.getMessage());
            } catch (PyError e) {
                throw failure(t, e, e.getMessage());
            }
        }
        for (String p : py.printed()) notes.add("%{ }% print: " + p);
    }

    /** A failed block: the message, and the values of the tcpi_* names it reads. */
    private static Mismatch failure(Taken t, PyError e, String what) {
        int line = t.event().pos().line() + e.line() - 1;
        List<String> values = new ArrayList<>();
        Matcher m = TCPI.matcher(t.event().code());
        while (m.find()) {
            String n = m.group();
            String v = n + " = " + (t.info().containsKey(n) ? t.info().get(n) : "(not kept)");
            if (!values.contains(v)) values.add(v);
        }
        String reason = t.event().pos().file() + ":" + line + ": %{ }% " + what;
        return new Mismatch(reason, t.event().code().replaceAll("\\s+", " "), values.isEmpty() ? "-" : String.join(", ", values), -1);
    }
}
