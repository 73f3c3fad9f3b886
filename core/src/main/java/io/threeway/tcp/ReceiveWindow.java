package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.wire.TcpSegment;

/**
 * The window a receiver offers (RFC 9293 §3.8.6.2.2; Linux's tcp_select_window, tcp_grow_window,
 * tcp_cleanup_rbuf, tcp_rcv_space_adjust): the receive buffer and its size, the first window and its scale, the
 * window in every header, window updates after reads, and receive-buffer autotuning.
 */
final class ReceiveWindow {
    /** The connection (its transmitter sends window updates). */
    private final TcpConnection conn;
    /** Its control block. */
    private final Tcb tcb;
    /** tcp_moderate_rcvbuf: the buffer grows with what the application reads per round trip. */
    private final ReceiveAutotuning autotuning = new ReceiveAutotuning();

    ReceiveWindow(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    /** Makes the send and receive rings, sized by SO_SNDBUF/SO_RCVBUF or tcp_wmem[1]/tcp_rmem[1]. */
    void allocateBuffers() {
        ConnectionOptions o = tcb.options;
        int rcvbuf = o.rcvBuf > 0 ? o.rcvBuf : tcb.sysctls.get(Sysctl.TCP_RMEM, 1);
        int sndbuf = o.sndBuf > 0 ? o.sndBuf : tcb.sysctls.get(Sysctl.TCP_WMEM, 1);
        // tcp_adv_win_scale: the share of the buffer that holds data rather than overhead (1 = half).
        tcb.recvBuf = new ReceiveBuffer(winFromSpace(rcvbuf));
        tcb.sendBuf = new SendBuffer(sndbuf);
    }

    /** The window a buffer of {@code space} bytes may offer, after tcp_adv_win_scale's overhead share. */
    int winFromSpace(int space) {
        int scale = tcb.sysctls.get(Sysctl.TCP_ADV_WIN_SCALE);
        return scale <= 0 ? space >> -scale : space - (space >> scale);
    }

    /** Linux's tcp_select_initial_window: the shift that lets the largest buffer be offered. */
    int chooseScale() {
        ConnectionOptions o = tcb.options;
        long space = Math.max(tcb.recvBuf.capacity(), (long) (o.rcvBuf > 0 ? o.rcvBuf : tcb.sysctls.get(Sysctl.TCP_RMEM, 2)));
        if (o.rcvBuf > 0) space = tcb.recvBuf.capacity(); // SO_RCVBUF locks the buffer: scale for what it holds
        int shift = (63 - Long.numberOfLeadingZeros(Math.max(space, 1))) - 15;
        return Math.max(0, Math.min(shift, 14));
    }

    /**
     * Sets the first window and rcv_ssthresh: the buffer's space rounded down to whole {@code segment}s, at most
     * 65535 (tcp_select_initial_window); or, with {@link ConnectionOptions#offerWholeBuffer}, all of it.
     */
    void initial(int segment) {
        tcb.rcvWnd = initialWindow(segment);
        tcb.rcvSsthresh = tcb.options.offerWholeBuffer ? tcb.recvBuf.capacity() : tcb.rcvWnd;
    }

    /** The first window alone (a SYN cookie's SYN-ACK keeps no rcv_ssthresh). */
    int initialWindow(int segment) {
        int space = tcb.recvBuf.capacity();
        if (space > segment && !tcb.options.offerWholeBuffer) space = (space / segment) * segment;
        return Math.min(space, 0xFFFF);
    }

    /**
     * The window to advertise (Linux's tcp_select_window and __tcp_select_window): the free buffer space,
     * limited by rcv_ssthresh, withheld when small (receiver SWS avoidance, RFC 9293 §3.8.6.2.2), never
     * moving the right edge left, rounded up to the scale's granularity. Returns the raw 16-bit field.
     */
    int select() {
        ReceiveBuffer buf = tcb.recvBuf;
        int shift = tcb.rcvWscale;
        if (buf == null) return tcb.state == TcpState.TIME_WAIT ? tcb.rcvWnd >>> shift : 0;
        int free = buf.free();
        int wnd = Math.min(free, tcb.rcvSsthresh);
        if (free < buf.capacity() / 2 && free < tcb.advMss) wnd = 0;
        if (wnd > 0 && shift > 0) {
            int g = 1 << shift;
            wnd = (wnd + g - 1) & -g;
        }
        int maxWnd = 0xFFFF << shift;
        if (wnd > maxWnd) wnd = maxWnd;
        // Never shrink the window: keep the old right edge if the new one would be left of it.
        int current = tcb.receiveWindow();
        if (wnd < current) wnd = ((current + (1 << shift) - 1) >>> shift) << shift;
        int raw = wnd >>> shift;
        if (raw > 0xFFFF) raw = 0xFFFF;
        advertised(raw << shift);
        return raw;
    }

    /** Records the window just advertised at RCV.NXT, counting the moves to and from zero as Linux does. */
    private void advertised(int window) {
        int previous = tcb.rcvWnd;
        tcb.rcvWnd = window;
        tcb.rcvWup = tcb.rcvNxt;
        if (window == 0 && previous != 0) tcb.counters.inc(Counter.TCP_TO_ZERO_WINDOW_ADV);
        else if (window != 0 && previous == 0 && tcb.state.isSynchronized()) tcb.counters.inc(Counter.TCP_FROM_ZERO_WINDOW_ADV);
        if (window == 0) tcb.counters.inc(Counter.TCP_WANT_ZERO_WINDOW_ADV);
    }

    /** After the application reads, offer the freed space if it is worth an ACK (Linux's tcp_cleanup_rbuf). */
    void afterRead(int n, long now) {
        adjustSpace(n, now);
        if (!tcb.open() || tcb.finReceived) return;
        int current = tcb.receiveWindow();
        ReceiveBuffer buf = tcb.recvBuf;
        int possible = Math.min(buf.free(), Math.max(tcb.rcvSsthresh, 0));
        boolean worthIt = possible >= 2 * current && possible - current >= Math.max(tcb.advMss, 1);
        boolean reopens = current == 0 && possible >= Math.min(tcb.advMss, buf.capacity() / 2);
        if (worthIt || reopens) {
            conn.transmitter.sendAck(now);
            conn.afterEvent(now);
        }
    }

    /** Linux's tcp_grow_window, simplified: each in-order segment lets the offered window grow by two MSS. */
    void grow(int len) {
        int full = tcb.recvBuf.capacity();
        if (tcb.rcvSsthresh < full) tcb.rcvSsthresh = Math.min(full, tcb.rcvSsthresh + 2 * Math.max(tcb.advMss, len));
    }

    /** The receiver's timestamps give it its own round-trip time, for autotuning (tcp_rcv_rtt_measure_ts). */
    void measureRtt(TcpSegment seg, long now) {
        if (!tcb.tsOk || !seg.options.timestamps || seg.options.tsEcr == 0) return;
        autotuning.rttSample(Math.max(1, tcb.tsClock(now) - seg.options.tsEcr) * 1_000_000L);
    }

    /** After a read: let autotuning grow the buffer, unless tcp_moderate_rcvbuf is off or SO_RCVBUF fixed it. */
    private void adjustSpace(int n, long now) {
        if (tcb.sysctls.get(Sysctl.TCP_MODERATE_RCVBUF) == 0 || tcb.options.rcvBuf > 0 || tcb.recvBuf == null) return;
        int grown = autotuning.onRead(n, now, tcb.rtt.srtt(), tcb.advMss, tcb.recvBuf.capacity(),
                winFromSpace(tcb.sysctls.get(Sysctl.TCP_RMEM, 2)));
        if (grown > 0) tcb.recvBuf.setCapacity(grown);
    }
}
