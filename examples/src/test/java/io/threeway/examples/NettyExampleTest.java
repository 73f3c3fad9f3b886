package io.threeway.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.threeway.api.Faults;
import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.junit.HostName;
import io.threeway.junit.ThreewayTest;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Netty 4.2, unmodified, on Threeway in the simulator: event loops whose threads are a host's managed threads and
 * whose selector provider is the host's ({@code new MultiThreadIoEventLoopGroup(1, host.executor(..),
 * NioIoHandler.newFactory(host.selectorProvider()))}, channels made with the same provider). An echo handler and
 * Netty's HTTP codec, each meeting a fault mid-stream that its handlers see; the same seed gives the same
 * packets and the same handler events.
 */
@ThreewayTest(seed = 51, sealed = true)
class NettyExampleTest {

    /** An event loop group of one loop on {@code host}'s threads and NIO provider, to be shut down with {@code events}. */
    static EventLoopGroup loop(Host host, Events events) {
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, host.executor("netty-" + host.name()),
                NioIoHandler.newFactory(host.selectorProvider()));
        events.groups.add(g);
        return g;
    }

    /**
     * Shuts the example's event loop groups down as a Netty application does, and runs the network until their
     * loops have ended (their selectors closed), so that none is left for the network's close to end.
     */
    static void shutDown(Network net, Events events) {
        for (EventLoopGroup g : events.groups) g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        assertTrue(net.runUntil(() -> events.groups.stream().allMatch(EventLoopGroup::isTerminated), Duration.ofSeconds(30)),
                "the event loops ended");
    }

    /** What the handlers saw, in order (events from every handler; the simulation runs one thread at a time). */
    static final class Events {
        final List<String> list = Collections.synchronizedList(new ArrayList<>());
        /** The event loop groups the example made. */
        final List<EventLoopGroup> groups = new CopyOnWriteArrayList<>();

        void add(String who, String what) {
            list.add(who + ": " + what);
        }

        boolean has(String prefix) {
            synchronized (list) {
                return list.stream().anyMatch(e -> e.startsWith(prefix));
            }
        }
    }

    /** Echoes what it reads; records what ends the connection. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        final Events events;

        Echo(Events events) {
            this.events = events;
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg); }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void channelInactive(ChannelHandlerContext ctx) { events.add("server", "inactive"); }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("server", cause.getClass().getSimpleName() + " " + cause.getMessage());
            ctx.close();
        }
    }

    /** Sends {@code total} bytes in 4 KB writes and counts the echo; records what ends the connection. */
    static final class Sender extends ChannelInboundHandlerAdapter {
        final Events events;
        final int total;
        long echoed;

        Sender(Events events, int total) {
            this.events = events;
            this.total = total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            byte[] chunk = new byte[4096];
            for (int sent = 0; sent < total; sent += chunk.length) ctx.write(Unpooled.wrappedBuffer(chunk));
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            echoed += b.readableBytes();
            b.release();
            if (echoed == total) {
                events.add("client", "all " + total + " bytes echoed");
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("client", "inactive after " + echoed + " bytes echoed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("client", cause.getClass().getSimpleName() + " " + cause.getMessage());
            ctx.close();
        }
    }

    /** Runs the echo example on {@code net}: an echo server on {@code server}:7, a client sending {@code total}. */
    static Events echo(Network net, Host client, Host server, int total) {
        Events events = new Events();
        CompletableFuture<Boolean> bound = new CompletableFuture<>();
        SelectorProvider serverNio = server.selectorProvider();
        SelectorProvider clientNio = client.selectorProvider();
        server.spawn("netty-server", () -> new ServerBootstrap().group(loop(server, events))
                .channelFactory(() -> new NioServerSocketChannel(serverNio))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Echo(events));
                    }
                })
                .bind(7) // no sync(): it would block this thread on a lock the simulator cannot see
                .addListener(f -> bound.complete(f.isSuccess())));
        // in real time the client's thread could otherwise connect before the server's loop has bound
        assertTrue(net.runUntil(bound::isDone, Duration.ofMinutes(1)) && bound.join(), "the echo server is bound");
        client.spawn("netty-client", () -> new Bootstrap().group(loop(client, events))
                .channelFactory(() -> new NioSocketChannel(clientNio))
                .handler(new Sender(events, total))
                .connect(server.address(), 7)
                .addListener(f -> {
                    if (!f.isSuccess()) events.add("client", "connect failed: " + f.cause());
                }));
        assertTrue(net.runUntil(() -> events.has("client: inactive") || events.has("client: connect failed"),
                Duration.ofMinutes(2)), "events: " + events.list);
        net.run(Duration.ofSeconds(1)); // the server's side of the end
        shutDown(net, events);
        return events;
    }

    @Test
    void anEchoThatCompletes(Network net, Host client, @HostName("echo.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(20));
        Events e = echo(net, client, server, 256 * 1024);
        assertEquals(List.of("client: all 262144 bytes echoed", "client: inactive after 262144 bytes echoed", "server: inactive"), e.list);
    }

    @Test
    void anEchoWithAResetMidStreamReachesBothHandlers(Network net, Host client, @HostName("echo.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(20)).from(server).add(Faults.resetAfterBytes(100_000));
        Events e = echo(net, client, server, 256 * 1024);
        assertEquals("client: SocketException Connection reset", e.list.get(0), "events: " + e.list);
        assertTrue(e.list.get(1).startsWith("client: inactive after "), "events: " + e.list);
        long echoed = Long.parseLong(e.list.get(1).replaceAll("\\D+", " ").trim().split(" ")[0]);
        assertTrue(echoed <= 100_000, "no more than the fault let through: " + echoed);
        assertTrue(e.has("server: "), "the server's handler heard of it too (its next segment met an RST): " + e.list);
    }

    @Test
    void theSameSeedGivesTheSamePacketsAndTheSameHandlerEvents() {
        List<String> first = null;
        for (int run = 0; run < 2; run++) {
            try (Network net = Network.simulated(52).seal()) {
                Host client = net.host("client");
                Host server = net.host("echo.test");
                net.link(client, server).rtt(Duration.ofMillis(20)).loss(0.02).from(server).add(Faults.resetAfterBytes(150_000));
                List<String> all = new ArrayList<>(echo(net, client, server, 256 * 1024).list);
                all.addAll(net.tcpdump());
                if (first == null) first = all;
                else assertEquals(first, all);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Netty's HTTP codec

    /** Answers {@code GET /bytes/N} with N bytes of 'x'. */
    static final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        final Events events;

        HttpHandler(Events events) {
            this.events = events;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            int n = Integer.parseInt(req.uri().substring("/bytes/".length()));
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer("x".repeat(n).getBytes(StandardCharsets.US_ASCII)));
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, n);
            ctx.writeAndFlush(resp);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("server", cause.getClass().getSimpleName() + " " + cause.getMessage());
            ctx.close();
        }
    }

    /** Records each response's status and size, and what ends the connection. */
    static final class HttpResponses extends SimpleChannelInboundHandler<FullHttpResponse> {
        final Events events;

        HttpResponses(Events events) {
            this.events = events;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            events.add("client", resp.status().code() + " " + resp.content().readableBytes() + " bytes");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("client", "inactive");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("client", cause.getClass().getSimpleName() + " " + cause.getMessage());
            ctx.close();
        }
    }

    static FullHttpRequest get(String host, String path) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        r.headers().set(HttpHeaderNames.HOST, host);
        return r;
    }

    /**
     * Netty's HTTP codec on both ends over {@code net}: a server answering {@code /bytes/N} on {@code server}:80, a
     * client pipelining two GETs; returns what the handlers saw once the client's channel is inactive.
     */
    static Events httpCodec(Network net, Host client, Host server) {
        Events events = new Events();
        SelectorProvider serverNio = server.selectorProvider();
        SelectorProvider clientNio = client.selectorProvider();
        server.spawn("netty-http-server", () -> new ServerBootstrap().group(loop(server, events))
                .channelFactory(() -> new NioServerSocketChannel(serverNio))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new HttpHandler(events));
                    }
                })
                .bind(80));
        client.spawn("netty-http-client", () -> new Bootstrap().group(loop(client, events))
                .channelFactory(() -> new NioSocketChannel(clientNio))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new HttpResponses(events));
                    }
                })
                .connect(server.address(), 80)
                .addListener(f -> { // a listener, not sync(): the event loop runs it when connected
                    Channel ch = ((ChannelFuture) f).channel();
                    ch.writeAndFlush(get("web.test", "/bytes/10000"));
                    ch.writeAndFlush(get("web.test", "/bytes/100000")); // pipelined: its response meets the reset
                }));
        assertTrue(net.runUntil(() -> events.has("client: inactive"), Duration.ofMinutes(2)), "events: " + events.list);
        shutDown(net, events);
        return events;
    }

    @Test
    void nettysHttpCodecWithAResetInTheSecondResponse(Network net, Host client, @HostName("web.test") Host server) {
        net.link(client, server).rtt(Duration.ofMillis(10)).from(server).add(Faults.resetAfterBytes(40_000));
        Events events = httpCodec(net, client, server);
        // the first response whole; the second cut by the RST, which the codec's aggregator reports too
        assertEquals(List.of("client: 200 10000 bytes", "client: SocketException Connection reset",
                "client: PrematureChannelClosureException Channel closed while still aggregating message", "client: inactive"),
                events.list);
    }

    @Test
    void theHttpCodecsRunIsTheSameForTheSameSeed() {
        List<String> first = null;
        for (int run = 0; run < 2; run++) {
            try (Network net = Network.simulated(53).seal()) {
                Host client = net.host("client");
                Host server = net.host("web.test");
                net.link(client, server).rtt(Duration.ofMillis(10)).loss(0.02).from(server).add(Faults.resetAfterBytes(40_000));
                List<String> all = new ArrayList<>(httpCodec(net, client, server).list);
                all.addAll(net.tcpdump());
                if (first == null) first = all;
                else assertEquals(first, all);
            }
        }
        assertTrue(first.contains("client: SocketException Connection reset"), "the reset reached the handlers: " + first);
    }
}
