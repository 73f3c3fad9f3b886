package io.threeway.wire;

/**
 * The outcome of parsing one IP packet or TCP segment. Parsers never throw on bad input; they return one of
 * these and the host counts and drops (Linux's counters: {@code Ip: InHdrErrors}, {@code Tcp: InErrs}).
 */
public enum ParseResult {
    /** Well formed. */
    OK,
    /** Shorter than the smallest header. */
    TOO_SHORT,
    /** IP version field is not the expected 4 or 6. */
    BAD_VERSION,
    /** IPv4 IHL below 5 or beyond the buffer; IPv6 extension header overrunning the payload. */
    BAD_HEADER_LENGTH,
    /** IPv4 total length smaller than the header. */
    BAD_TOTAL_LENGTH,
    /** The IP length fields claim more bytes than the buffer holds. */
    TRUNCATED,
    /** IPv4 header checksum wrong. */
    BAD_CHECKSUM,
    /** A fragment (IPv4 MF or offset, IPv6 fragment header): fields are filled in, the host reassembles it. */
    FRAGMENT,
    /** TCP data offset below 5 or beyond the segment. */
    BAD_DATA_OFFSET,
    /** A TCP option with length 0 or 1, or overrunning the header. Fields before it are filled in. */
    BAD_OPTION;

    public boolean ok() {
        return this == OK;
    }
}
