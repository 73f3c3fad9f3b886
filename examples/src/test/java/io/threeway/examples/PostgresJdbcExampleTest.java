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

    @Test
    void connectTimeoutAtTheConfiguredVirtualTime(Network net, Host client, @HostName("db.test") Host db) {
        net.link(client, db).rtt(Duration.ofMillis(2)).add(Faults.dropSyns());
        PgBackend.start(db, 5432);
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection("jdbc:postgresql://db.test:5432/app", props(3)));
            return e.getSQLState() + " " + e.getCause().getMessage() + " at " + net.elapsed();
        });
        assertEquals("08001 Connect timed out at PT3S", r);
    }
}
