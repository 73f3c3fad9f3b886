package io.threeway.sim;

/**
 * The simulation cannot go on: an application thread threw, or one blocked outside the simulation (on a
 * foreign lock, a real sleep, real I/O) and held the baton too long. Thrown from the simulator's run methods.
 */
public final class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message) {
        super(message);
    }

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
