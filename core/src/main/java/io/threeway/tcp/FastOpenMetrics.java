package io.threeway.tcp;

/**
 * What a client has cached about one Fast Open server (Linux's {@code struct tcp_fastopen_metrics}, read by
 * tcp_fastopen_cache_get): the server's cookie, whether to use the experimental option (kind 254, magic 0xF989)
 * for it or for the next cookie request, and the MSS the server announced in its last SYN-ACK, which bounds the
 * data the next SYN carries (tcp_send_syn_data).
 *
 * @param cookie       the cookie, or null when none is cached
 * @param experimental the next Fast Open option is the experimental one (the cookie came in it, or try_exp is 1)
 * @param mss          the server's MSS option from its last SYN-ACK, or 0 when none is cached
 */
public record FastOpenMetrics(byte[] cookie, boolean experimental, int mss) {
}
