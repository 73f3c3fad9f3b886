/**
 * A deterministic network simulator: virtual time, links with impairments, fault-injection rules, and a
 * cooperative scheduler that runs blocking application code in virtual time.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.threeway.sim.Simulator}: the clock, the event queue (a binary heap keyed by time and
 *       insertion sequence) and the run loop; drives every attached {@link io.threeway.host.Host} through
 *       one coalesced wakeup per host at its {@code nextDeadline()}.</li>
 *   <li>{@link io.threeway.sim.Link} / {@link io.threeway.sim.LinkDirection} /
 *       {@link io.threeway.sim.LinkConfig}: point-to-point links; each direction is the
 *       {@link io.threeway.host.PacketSink} its sender transmits into, and models delay, jitter, loss,
 *       duplication, reordering, bandwidth with a drop-tail queue, and an MTU.</li>
 *   <li>{@link io.threeway.sim.Rule} / {@link io.threeway.sim.Rules} / {@link io.threeway.sim.Packet}:
 *       drop, delay or rewrite chosen packets ("drop the first SYN-ACK").</li>
 *   <li>{@link io.threeway.sim.SimScheduler}: the {@link io.threeway.socket.SocketRuntime} for
 *       application threads, one at a time, holding a baton.</li>
 * </ul>
 *
 * <h2>Determinism</h2>
 * A run is a function of the seed and the program. Events at equal times fire in scheduling order;
 * application threads run one at a time in FIFO order of becoming runnable; random numbers come from one
 * {@link java.util.SplittableRandom} split in creation order (each link direction has its own, so adding
 * traffic on one link does not change another link's fate sequence). Nothing reads the wall clock except
 * the scheduler's watchdog, which only ever fails a run.
 *
 * <h2>Speed</h2>
 * Quiet hosts cost nothing between deadlines, so hours of virtual time pass in milliseconds. On the busy
 * path a packet in flight is one pooled event and no other allocation (duplicates aside).
 */
package io.threeway.sim;
