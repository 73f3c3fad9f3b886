package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Jedis 7, unmodified, against a small RESP server on {@code cache.test}: commands, then a read timeout. */
@ThreewayTest(seed = 14, sealed = true)
class JedisExampleTest {

    /** Jedis's sockets from the client host, connected to {@code cache.test:6379} with a 2 s read timeout. */
    static Jedis jedis(Host client) {
        JedisSocketFactory sockets = () -> {
            try {
                Socket s = client.socketFactory().createSocket();
                s.connect(new InetSocketAddress("cache.test", 6379), 2000);
                s.setSoTimeout(2000);
                return s;
            } catch (java.io.IOException e) {
                throw new JedisConnectionException(e);
            }
        };
        return new Jedis(sockets, DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build());
    }

    @Test
    void commandsAndAReadTimeout(Network net, Host client, @HostName("cache.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(4));
        RespServer.start(server, 6379);
        Object r = OkHttpExampleTest.onClientThread(net, () -> {
            try (Jedis jedis = jedis(client)) {
                String pong = jedis.ping();
                jedis.set("greeting", "hello");
                String value = jedis.get("greeting");
                Duration before = net.elapsed();
                JedisConnectionException e = assertThrows(JedisConnectionException.class, () -> jedis.get("slow:1"));
                return pong + " " + value + "; " + e.getCause().getMessage() + " after " + net.elapsed().minus(before);
            }
        });
        assertEquals("PONG hello; Read timed out after PT2S", r);
    }
}
