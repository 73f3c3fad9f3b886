/**
 * Small applications written only against the blocking socket API, so they run on a Threeway stack
 * (simulated or on TUN) exactly as on the kernel's: an echo server, an HTTP/1.1 server with keep-alive and a
 * few fixed routes ({@code /bytes/N} serves {@link io.threeway.app.Payload}), and an HTTP GET that measures
 * curl's {@code -w} times. One virtual thread per connection.
 */
package io.threeway.app;
