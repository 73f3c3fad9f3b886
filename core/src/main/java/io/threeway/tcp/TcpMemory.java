package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import java.util.function.IntSupplier;

/**
 * What all of a stack's TCP sockets hold in their buffers, against {@code net.ipv4.tcp_mem}, and how many of them
 * are orphans, against {@code net.ipv4.tcp_max_orphans}: Linux's {@code tcp_memory_allocated},
 * {@code tcp_memory_pressure} and {@code tcp_orphan_count}. One per stack, shared by its connections; a buffer
 * charges it when its array grows or is released (the bytes of the arrays, where Linux counts the skbs' truesize).
 *
 * <p>The rules are {@code __sk_mem_raise_allocated}'s: at or below {@code tcp_mem[0]} pages there is no pressure;
 * above {@code tcp_mem[1]} the stack enters memory pressure ({@code TCPMemoryPressures}; it leaves once back below
 * {@code tcp_mem[0]}), where windows stop growing and shrink toward four segments ({@code tcp_adjust_rcv_ssthresh}),
 * send buffers stop expanding ({@code tcp_should_expand_sndbuf}) and only a socket below its fair share of
 * {@code tcp_mem[2]} (or below tcp_rmem[0] / tcp_wmem[0]) may grow its buffers; above {@code tcp_mem[2]} no buffer may grow,
 * except a socket's first bytes ({@code sk_forced_mem_schedule}), and closing sockets are reset instead of
 * lingering ({@code tcp_check_oom}: {@code TCPAbortOnMemory}). Driven by the stack's one thread, like the rest.
 */
public final class TcpMemory {
    /** Linux counts tcp_mem in pages of this many bytes. */
    public static final int PAGE = 4096;
    /** Linux's SOCK_MIN_SNDBUF (about 4.5 KiB): a socket queuing less is never "out of memory" (tcp_out_of_memory). */
    static final int SOCK_MIN_SNDBUF = 4608;
    /** An account that limits nothing: for an engine driven without a host (tests). */
    public static final TcpMemory UNLIMITED = new TcpMemory(null, null);

    /** The settings that hold tcp_mem and tcp_max_orphans; null for {@link #UNLIMITED}. */
    private final Sysctls sysctls;
    /** Where TCPMemoryPressures is counted. */
    private final Counters counters;
    /** Bytes held by all buffers' arrays. */
    private long allocated;
    /** Linux's tcp_memory_pressure. */
    private boolean pressure;
    /** Connections closed by their application and not yet CLOSED or in TIME-WAIT (tcp_orphan_count). */
    private int orphans;
    /** How many TCP sockets the stack holds (tcp_sockets_allocated); one until the host says. */
    private IntSupplier sockets = () -> 1;

    /** The account of one stack, reading {@code sysctls} on every decision and counting in {@code counters}. */
    public TcpMemory(Sysctls sysctls, Counters counters) {
        this.sysctls = sysctls;
        this.counters = counters;
    }

    /**
     * tcp_mem as Linux's tcp_init_mem sizes it for {@code memoryBytes} of memory (Linux reads the free buffer
     * pages; a JVM's stack has its heap): pressure at a sixteenth ({@code limit}, at least 128 pages), the floor at
     * three quarters of that, the hard limit at twice the floor. Returned as sysctl's text, {@code "min pressure max"}.
     */
    public static String linuxDefaultFor(long memoryBytes) {
        long limit = Math.max(memoryBytes / PAGE / 16, 128);
        long min = limit / 4 * 3;
        return min + " " + limit + " " + min * 2;
    }

    /** Bytes held by all buffers. */
    public long allocatedBytes() { return allocated; }

    /** Pages held by all buffers, rounded up, as /proc/net/sockstat's {@code mem}. */
    public long allocatedPages() { return (allocated + PAGE - 1) / PAGE; }

    /** Whether the stack is under memory pressure (tcp_under_memory_pressure). */
    public boolean underPressure() { return pressure; }

    /** Whether the buffers hold more than tcp_mem[2] (the hard limit). */
    public boolean overLimit() {
        return sysctls != null && allocatedPages() > sysctls.getLong(Sysctl.TCP_MEM, 2);
    }

    /** Orphaned connections now (tcp_orphan_count). */
    public int orphans() { return orphans; }

    /** A buffer's array grew by {@code bytes} (or shrank, when negative). */
    void charge(long bytes) {
        if (sysctls == null || bytes == 0) return;
        allocated += bytes;
        long pages = allocatedPages();
        if (bytes > 0 && !pressure && pages > sysctls.getLong(Sysctl.TCP_MEM, 1)) {
            pressure = true; // tcp_enter_memory_pressure
            counters.inc(Counter.TCP_MEMORY_PRESSURES);
        } else if (pressure && pages <= sysctls.getLong(Sysctl.TCP_MEM, 0)) {
            pressure = false; // tcp_leave_memory_pressure
        }
    }

    /** Tells the account how many TCP sockets the stack holds now (Linux's tcp_sockets_allocated), for the fair share. */
    public void countSocketsWith(IntSupplier sockets) {
        this.sockets = sockets;
    }

    /** A send buffer queuing {@code queued} bytes in an array of {@code held} may take more (tcp_wmem[0] is its floor). */
    boolean mayRaiseSend(int queued, int held) {
        return queued == 0 || mayRaise(queued, held, Sysctl.TCP_WMEM);
    }

    /** A receive buffer holding {@code queued} bytes in an array of {@code held} may take more (tcp_rmem[0] is its floor). */
    boolean mayRaiseReceive(int queued, int held) {
        return mayRaise(queued, held, Sysctl.TCP_RMEM);
    }

    /**
     * Linux's __sk_mem_raise_allocated: at or below tcp_mem[0] pages anything goes; above tcp_mem[2] nothing; in
     * between a socket queuing less than its minimum (tcp_rmem[0] or tcp_wmem[0]) may grow, and so may any socket
     * while there is no memory pressure; under pressure only one below its fair share, where tcp_mem[2] exceeds the
     * number of sockets times its own pages ({@code sk_sockets_allocated_read_positive(sk) * sk_mem_pages(...)}).
     */
    private boolean mayRaise(int queued, int held, Sysctl minimum) {
        if (sysctls == null) return true;
        long pages = allocatedPages();
        if (pages <= sysctls.getLong(Sysctl.TCP_MEM, 0)) return true;
        long hard = sysctls.getLong(Sysctl.TCP_MEM, 2);
        if (pages > hard) return false;
        if (queued < sysctls.get(minimum, 0)) return true;
        if (!pressure) return true;
        long socketPages = (held + PAGE - 1) / PAGE;
        return hard > Math.max(1, sockets.getAsInt()) * socketPages;
    }

    /** A connection became an orphan (tcp_close's orphan_count increment). */
    void orphanAdded() {
        if (sysctls != null) orphans++;
    }

    /** An orphan reached CLOSED or TIME-WAIT (inet_csk_destroy_sock's decrement). */
    void orphanGone() {
        if (sysctls != null) orphans--;
    }

    /**
     * Linux's tcp_check_oom for a closing socket with {@code queued} bytes in its send buffer: too many orphans
     * (more than tcp_max_orphans), or more memory held than tcp_mem[2] while it queues more than SOCK_MIN_SNDBUF.
     */
    boolean checkOom(int queued) {
        return checkOom(queued, 0);
    }

    /**
     * tcp_check_oom(sk, shift): as {@link #checkOom(int)}, with the orphans counted {@code 2^shift} times over
     * (tcp_too_many_orphans: tcp_out_of_resources penalizes a connection that has long been silent or got an ICMP
     * error).
     */
    boolean checkOom(int queued, int shift) {
        if (sysctls == null) return false;
        boolean tooManyOrphans = ((long) orphans << shift) > sysctls.get(Sysctl.TCP_MAX_ORPHANS);
        boolean outOfMemory = queued > SOCK_MIN_SNDBUF && overLimit();
        return tooManyOrphans || outOfMemory;
    }
}
