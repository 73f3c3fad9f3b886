/**
 * Linux's observation tools, rendered from Threeway's state: {@code ss} ({@link SsFormatter}), {@code nstat}
 * ({@link NstatFormatter}), {@code netstat -s} ({@link NetstatFormatter}) and node_exporter's Prometheus text
 * ({@link PrometheusFormatter}).
 *
 * <p>They live in {@code core}, beside the host they read, rather than in the lab: any driver of a
 * {@link io.threeway.host.Stack} needs them (the simulator's scenarios, and a stack serving a real network,
 * whose {@code serve --metrics} must print the same names), and they depend on nothing but the host, the
 * counters and the settings. Each works on a {@link HostSnapshot}, a copy of what a stack held at one moment,
 * so a tool can print a moment after the simulation has moved on, exactly as ss prints what the kernel held
 * when it asked.
 */
package io.threeway.tools;
