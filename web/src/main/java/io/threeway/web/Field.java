package io.threeway.web;

/**
 * One header field of a packet as the inspector lists it, with where its bytes are so the hex view can
 * highlight them.
 *
 * @param layer   {@code IPv4}, {@code IPv6}, {@code TCP} or {@code TCP option}
 * @param name    the field's name as the RFC writes it (e.g. {@code Acknowledgment Number})
 * @param offset  its first byte in the packet
 * @param length  its length in bytes (a field smaller than a byte covers the byte it is in)
 * @param value   its value as the header carries it
 * @param meaning what the value means, in words, or ""
 */
public record Field(String layer, String name, int offset, int length, String value, String meaning) {}
