package io.threeway.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * What a soak did, every figure counted in the run: conversations by outcome, bytes checked, the stacks' counters
 * that show the faults were real, the events checked, and the heap before and after (when measured).
 *
 * @param seed             the seed
 * @param conversations    conversations started (and all over, or the soak would have failed)
 * @param completed        conversations that ended as planned with every byte delivered
 * @param brokenOff        conversations that broke off by plan (a reset, an early close)
 * @param gaveUp           applications that gave up after their idle timeout (only in conversations that broke off)
 * @param bytes            bytes read and checked, both ways
 * @param virtualSeconds   virtual time of the run, drain included
 * @param events           events after which every invariant was checked
 * @param retransmissions  segments retransmitted (RetransSegs over all stacks)
 * @param timeouts         retransmission timeouts (TCPTimeouts)
 * @param resets           resets sent (OutRsts)
 * @param closing          transitions to CLOSING (simultaneous closes)
 * @param blackouts        blackouts of a path
 * @param epochs           changes of a path's impairments
 * @param heapBefore       bytes of heap in use after a full GC before the run, or -1
 * @param heapAfter        the same after the run, or -1
 */
public record SoakReport(long seed, long conversations, long completed, long brokenOff, long gaveUp, long bytes,
                         double virtualSeconds, long events, long retransmissions, long timeouts, long resets,
                         long closing, long blackouts, long epochs, long heapBefore, long heapAfter) {

    /** The report as lines for a terminal. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format("soak seed %d: %,d connections over %,.0f s of virtual time, every invariant held after each of %,d events",
                seed, conversations, virtualSeconds, events));
        out.add(String.format("  %,d completed with every byte checked (%,d bytes), %,d broke off by plan (reset or early close), %,d applications gave up idle",
                completed, bytes, brokenOff, gaveUp));
        out.add(String.format("  faults: %,d path changes, %,d blackouts; %,d segments retransmitted, %,d timeouts, %,d resets sent, %,d simultaneous closes",
                epochs, blackouts, retransmissions, timeouts, resets, closing));
        out.add("  at the end: every connection CLOSED, no TIME-WAIT, no timer, no buffer byte, no orphan, CurrEstab 0 on every host");
        if (heapBefore >= 0) {
            out.add(String.format("  heap after a full GC: %,d bytes before, %,d after (%+,d)", heapBefore, heapAfter, heapAfter - heapBefore));
        }
        return out;
    }
}
