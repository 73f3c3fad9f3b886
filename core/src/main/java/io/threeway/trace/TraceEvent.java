package io.threeway.trace;

/** What a {@link TraceRecorder} records: a packet or a state transition, each with its virtual time. */
public sealed interface TraceEvent permits CapturedPacket, Transition {
    long timeNanos();
}
