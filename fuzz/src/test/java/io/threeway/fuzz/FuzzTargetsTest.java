package io.threeway.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every fuzz target on its committed corpus: Jazzer's JUnit integration in regression mode runs each method once
 * per file under {@code FuzzTargetsTestInputs/METHOD/} (seeds, inputs the fuzzer found that reach new code, and
 * every crash ever found, kept as a regression test). With {@code JAZZER_FUZZ=1} a method fuzzes instead; {@code
 * threeway fuzz NAME} is the way for long runs. A method's name is its target's, with dashes as underscores.
 */
class FuzzTargetsTest {
    @FuzzTest
    void ipv4(byte[] input) throws Exception { FuzzTargets.get("ipv4").fuzz(input); }

    @FuzzTest
    void ipv6(byte[] input) throws Exception { FuzzTargets.get("ipv6").fuzz(input); }

    @FuzzTest
    void tcp(byte[] input) throws Exception { FuzzTargets.get("tcp").fuzz(input); }

    @FuzzTest
    void icmp(byte[] input) throws Exception { FuzzTargets.get("icmp").fuzz(input); }

    @FuzzTest
    void engine(byte[] input) throws Exception { FuzzTargets.get("engine").fuzz(input); }

    @FuzzTest
    void stack_pair(byte[] input) throws Exception { FuzzTargets.get("stack-pair").fuzz(input); }

    @FuzzTest
    void packetdrill(byte[] input) throws Exception { FuzzTargets.get("packetdrill").fuzz(input); }

    @FuzzTest
    void pcap(byte[] input) throws Exception { FuzzTargets.get("pcap").fuzz(input); }

    @FuzzTest
    void http(byte[] input) throws Exception { FuzzTargets.get("http").fuzz(input); }

    @FuzzTest
    void sysctl(byte[] input) throws Exception { FuzzTargets.get("sysctl").fuzz(input); }

    /** A target without a method here (or the reverse) would never replay its corpus in CI. */
    @Test
    void everyTargetHasAMethodHere() {
        TreeSet<String> methods = new TreeSet<>();
        for (Method m : FuzzTargetsTest.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(FuzzTest.class)) methods.add(m.getName());
        }
        TreeSet<String> targets = new TreeSet<>(FuzzTargets.ALL.stream().map(t -> t.name().replace('-', '_')).toList());
        assertEquals(targets, methods);
    }
}
