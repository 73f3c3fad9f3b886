/**
 * Small applications written only against the blocking socket API, so they run on a Threeway stack
 * (simulated or on TUN) exactly as on the kernel's: an echo server, an HTTP/1.1 server with keep-alive and a
 * few fixed routes ({@code /bytes/N} serves {@link io.threeway.app.Payload}), and an HTTP GET that measures
 * curl's {@code -w} times. A thread per connection, from a {@link io.threeway.app.ServerRuntime}; both servers
 * keep {@link io.threeway.app.ServerLimits} (timeouts through {@code SO_TIMEOUT} on the runtime's clock, a
 * connection limit, bounded and lazily grown buffers), so no client holds memory or a thread forever.
 */
package io.threeway.app;
