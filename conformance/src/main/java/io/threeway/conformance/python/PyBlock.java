package io.threeway.conformance.python;

import java.util.List;

/** A compiled {@code %{ }%} block: its statements, ready to run in a {@link PyInterpreter}. */
public final class PyBlock {
    final List<PyNode> statements;

    private PyBlock(List<PyNode> statements) {
        this.statements = statements;
    }

    /**
     * Compiles a block, as Python compiles packetdrill's code file before running any of it.
     *
     * @throws PyError for a syntax error Python would report
     * @throws PyUnsupported for code beyond the subset
     */
    public static PyBlock compile(String code) {
        return new PyBlock(PyParser.parse(code));
    }
}
