package io.threeway.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.threeway.tcp.TcpConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The socket's read and write loops allocate nothing in steady state (issue 12: no capturing lambdas, no boxed
 * results per call): reads of data already in the receive buffer, and writes into a send buffer with room
 * while the congestion window holds the data back, counted with the thread's allocated bytes call by call.
 * Before the loops were rewritten, every call allocated (capturing lambdas, a boxed Integer, the array of
 * wait queues).
 */
class SocketLoopAllocationTest {
    private static final int CHUNK = 200; // above Integer's cache, so a boxed result would allocate
    private static final int READS = 250;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    @Test
    void readsAndWritesAllocateNothing() throws Exception {
        try (SimPair p = new SimPair(7)) {
            ServerSocket ss = p.server.serverSocket(8080);
            Socket client = p.client.socket();
            client.setSendBufferSize(4 << 20);
            client.connect(SimPair.server(8080));
            Socket served = ss.accept();

            // Reads: the server's data all buffered at the client, then read back in small pieces.
            int total = (READS + 50) * CHUNK; // within the first window

            OutputStream out = served.getOutputStream();
            served.setSendBufferSize(4 << 20);
            byte[] data = new byte[total];
            out.write(data);
            TcpConnection c = ((ThreewaySocket) client).connection();
            p.sim.runUntil(() -> c.readable() >= total, Long.MAX_VALUE);
            InputStream in = client.getInputStream();
            byte[] buf = new byte[CHUNK];
            for (int i = 0; i < 50; i++) assertEquals(CHUNK, in.read(buf)); // warm up
            int readsAllocating = 0;
            for (int i = 0; i < READS; i++) {
                long before = allocated();
                in.read(buf);
                if (allocated() != before) readsAllocating++;
            }

            // Writes: after the first ones leave in segments, the congestion window holds the rest in the send
            // buffer, whose ring grows by doubling to the buffer's limit; measured once it has its final size.
            OutputStream cout = client.getOutputStream();
            int limit = client.getSendBufferSize();
            int grown = Integer.highestOneBit(limit - 1) + 1; // past this, the ring is as large as it will be
            while (c.sendQueue() <= grown) cout.write(buf);
            int writes = (limit - c.sendQueue()) / 2 / CHUNK;
            assertTrue(writes >= 200, "room for " + writes + " writes");
            int writesAllocating = 0;
            for (int i = 0; i < writes; i++) {
                long before = allocated();
                cout.write(buf);
                if (allocated() != before) writesAllocating++;
            }

            // A read that opens the window enough sends a window update, and the simulated link allocates for
            // the packet in flight (about 1 KB): a few of the reads may; the loop itself never does.
            // An object made per call would show in every call. One call in several hundred allocating once
            // (64 bytes in one write, in about one run of six, at a different call each time: the JIT's
            // recompilation, not the loop's code) is tolerated.
            assertTrue(readsAllocating <= READS / 50, readsAllocating + " of " + READS + " reads allocated");
            assertTrue(writesAllocating <= writes / 100, writesAllocating + " of " + writes + " writes allocated");
        }
    }
}
