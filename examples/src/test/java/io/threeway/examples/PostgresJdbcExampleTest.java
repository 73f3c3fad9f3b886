package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Faults;
import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's JDBC driver, unmodified, against a minimal protocol-3 backend on {@code db.test}. The driver makes its
 * socket factory from a class name and a string: {@code io.threeway.api.HostSocketFactory} with the client host's name.
 */
@ThreewayTest(seed = 15, sealed = true)
class PostgresJdbcExampleTest {

    static Properties props(int connectTimeoutSeconds) {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "unused");
        p.setProperty("socketFactory", "io.threeway.api.HostSocketFactory");
        p.setProperty("socketFactoryArg", "client");
        p.setProperty("sslmode", "disable");
        p.setProperty("gssEncMode", "disable");
        p.setProperty("preferQueryMode", "simple");
        p.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
        p.setProperty("socketTimeout", "5");
        return p;
    }

    @Test
    void aQuery(Network net, Host client, @HostName("db.test") Host db) {
        net.link(client, db).rtt(Duration.ofMillis(2));
        PgBackend.start(db, 5432);
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://db.test:5432/app", props(2));
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 42")) {
                assertTrue(rs.next());
                return rs.getInt(1) + " at " + net.elapsed();
            }
        });
        // TCP's handshake, the startup, the driver's own SET, the query: four round trips of 2 ms
        assertEquals("42 at PT0.008S", r);
    }

    /**
     * The driver's connect timeout, in virtual time. pgjdbc (42.7's {@code ConnectionFactoryImpl.remainingConnectTimeout})
     * hands {@code Socket.connect} the configured timeout minus the WALL-CLOCK milliseconds it spent since
     * {@code openConnectionImpl} started ({@code System.nanoTime()}, truncated to whole ms): a real clock the
     * simulator cannot stop. On a loaded machine that is a millisecond or more, and the timeout fires that much before
     * 3 s of virtual time (once seen as PT2.999S). So the test bounds the deduction by the wall time the whole call
     * took, and checks the rest exactly: the stack kept SYN-SENT with its retransmissions until the timeout.
     */
    @Test
    void connectTimeoutAtTheConfiguredVirtualTime(Network net, Host client, @HostName("db.test") Host db) {
        net.link(client, db).rtt(Duration.ofMillis(2)).add(Faults.dropSyns());
        PgBackend.start(db, 5432);
        long[] wallMillis = new long[1];
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection("jdbc:postgresql://db.test:5432/app", props(3)));
            wallMillis[0] = (System.nanoTime() - start) / 1_000_000;
            return e.getSQLState() + " " + e.getCause().getMessage() + " at " + net.elapsed().toMillis();
        });
        String[] parts = ((String) r).split(" at ");
        assertEquals("08001 Connect timed out", parts[0]);
        long at = Long.parseLong(parts[1]);
        assertTrue(at <= 3000 && at >= 3000 - wallMillis[0], "timed out at " + at + " ms of virtual time; the driver"
                + " may take off at most the " + wallMillis[0] + " ms of wall time the call took");
        // the SYN at 0 and its retransmissions 1 s apart (tcp_syn_linear_timeouts) while the connect waited
        long synsBefore = net.tcpdump().stream().filter(l -> l.contains("Flags [S]"))
                .filter(l -> Double.parseDouble(l.substring(0, l.indexOf(' '))) * 1000 < at).count();
        assertEquals(1 + (at - 1) / 1000, synsBefore, String.join("\n", net.tcpdump()));
    }
}
