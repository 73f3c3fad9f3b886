package io.threeway.conformance.python;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Python subset of packetdrill's %{ }% blocks, evaluated without Python. */
class PyInterpreterTest {

    private static PyInterpreter withInfo() {
        PyInterpreter py = new PyInterpreter();
        py.set("tcpi_snd_cwnd", 10);
        py.set("tcpi_options", 0x27);
        py.set("TCPI_OPT_SYN_DATA", 32);
        py.set("tcpi_rwnd_limited", 100_000);
        py.set("tcpi_ca_state", 3);
        py.set("TCP_CA_Recovery", 3);
        return py;
    }

    private static void run(PyInterpreter py, String code) {
        py.run(PyBlock.compile(code));
    }

    @Test
    void theCorpusFormsHold() {
        PyInterpreter py = withInfo();
        assertDoesNotThrow(() -> run(py, "assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd"));
        assertDoesNotThrow(() -> run(py, "assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options"));
        assertDoesNotThrow(() -> run(py, "assert 98000 <= tcpi_rwnd_limited <= 110000, tcpi_rwnd_limited;\\\n   assert tcpi_ca_state == TCP_CA_Recovery, 'ca_state: %d rtt: %d' % (tcpi_ca_state, 5)"));
        assertDoesNotThrow(() -> run(py, "TCP_INFINITE_SSTHRESH = 0x7fffffff"));
        assertDoesNotThrow(() -> run(py, "print(tcpi_snd_cwnd); cwnd = 8; cwnd += 2; assert tcpi_snd_cwnd == cwnd, tcpi_snd_cwnd"));
        assertEquals(List.of("10"), py.printed());
        assertDoesNotThrow(() -> run(py, "assert 2 ** 10 == 1024 and 1 ** 1000000000000 == 1 and 0x10 | 1 == 17"));
        assertDoesNotThrow(() -> run(py, "assert tcpi_snd_cwnd == 10 and not tcpi_snd_cwnd == 11 or 0  # a comment\n\nassert -7 // 2 == -4 and -7 % 2 == 1"));
    }

    @Test
    void aFailingAssertionFailsWithItsMessage() {
        PyInterpreter py = withInfo();
        PyError e = assertThrows(PyError.class, () -> run(py, "assert tcpi_snd_cwnd == 12, 'cwnd=%d' % tcpi_snd_cwnd"));
        assertEquals("AssertionError: cwnd=10", e.getMessage());
        e = assertThrows(PyError.class, () -> run(py, "x = 1\nassert 98000 <= tcpi_rwnd_limited <= 99999, tcpi_rwnd_limited"));
        assertEquals(2, e.line());
        assertEquals("AssertionError: 100000", e.getMessage());
    }

    @Test
    void variablesPersistAcrossBlocksAsInOneFile() {
        PyInterpreter py = withInfo();
        run(py, "cwnd = 10");
        run(py, "cwnd += 1");
        assertThrows(PyError.class, () -> run(py, "assert tcpi_snd_cwnd == cwnd"));
    }

    @Test
    void aFieldTheStackDoesNotKeepFailsNamingWhy() {
        PyInterpreter py = withInfo();
        py.missing("tcpi_delivered", "tcpi_delivered is not kept");
        PyError e = assertThrows(PyError.class, () -> run(py, "assert tcpi_delivered == 1"));
        assertTrue(e.getMessage().contains("tcpi_delivered is not kept"), e.getMessage());
        e = assertThrows(PyError.class, () -> run(py, "assert nothing_here == 1"));
        assertTrue(e.getMessage().startsWith("NameError: name 'nothing_here'"), e.getMessage());
    }

    @Test
    void pythonsOwnErrorsAreErrors() {
        assertThrows(PyError.class, () -> PyBlock.compile("assert 1 ==\n"), "a syntax error");
        assertThrows(PyError.class, () -> PyBlock.compile("assert 1\n  assert 2"), "unexpected indent");
        assertThrows(PyError.class, () -> run(new PyInterpreter(), "assert 1 < 'a'"), "a TypeError");
        assertThrows(PyError.class, () -> run(new PyInterpreter(), "x = 1 // 0"), "ZeroDivisionError");
    }

    @Test
    void anythingBeyondTheSubsetIsUnsupportedNotGuessed() {
        for (String code : List.of("x = 2 ** 64", "x = '%099999d' % 1", "import os", "def f(): pass", "for i in range(3): pass", "x = [1, 2]", "x = os.getpid()",
                "assert 1 in (1, 2)", "x = lambda: 1", "if 1: pass")) {
            assertThrows(PyUnsupported.class, () -> run(new PyInterpreter(), code), code);
        }
    }
}
