package io.threeway.lab.handshake;

import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import java.io.PrintStream;

/**
 * The three-way handshake between a client and a server over a simulated path.
 * Placeholder until the TCP engine and the simulator land; the engine work replaces {@link #run}.
 */
public final class HandshakeScenario implements Scenario {

    @Override
    public String name() { return "handshake"; }

    @Override
    public String summary() { return "A client connects to a listening server: SYN, SYN-ACK, ACK, with timings"; }

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        throw new UnsupportedOperationException(
                "lab handshake: not available yet (the TCP engine and simulator have not landed)");
    }
}
