package io.threeway.lab.record;

import io.threeway.wire.FourTuple;

/**
 * One end of a connection, as one host sees it: the unit the state diagrams and series are drawn for.
 *
 * @param id    its index in the recording
 * @param host  the host's name
 * @param tuple local address and port, remote address and port
 */
public record Endpoint(int id, String host, FourTuple tuple) {}
