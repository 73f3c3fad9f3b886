package io.threeway.api.impl;

import io.threeway.host.PacketSink;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkStats;
import io.threeway.sim.Rule;

/** One direction of a link between two hosts, in either mode: where the sender transmits, and its fates. */
public interface Wire {
    /** Where the sending host's packets for the far host go. */
    PacketSink sink();

    /** The impairments now in force. */
    LinkConfig config();

    /** Changes the impairments from the next packet on. */
    void reconfigure(LinkConfig config);

    /** Adds a per-packet rule, after the others. */
    void addRule(Rule rule);

    /** Removes a rule. */
    void removeRule(Rule rule);

    /** The counts of what happened to packets. */
    LinkStats stats();
}
