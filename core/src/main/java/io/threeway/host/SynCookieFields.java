package io.threeway.host;

/**
 * A SYN cookie taken apart with the server's secrets, as Linux's __cookie_v4_check takes it apart when the
 * ACK that returns it arrives (see {@link SynCookieReader}):
 *
 * <pre>
 *   cookie = H1(four-tuple) + peer ISN + (count &lt;&lt; 24) + ((H2(four-tuple, count) + MSS index) mod 2^24)
 * </pre>
 *
 * @param h1         H1(four-tuple): SipHash-2-4 under the first secret, 32 bits
 * @param countBits  the top 8 bits of (cookie - H1 - peer ISN): the minute counter when the cookie was made
 * @param count      that minute counter in full (the check's minute less the age)
 * @param age        minutes between making and checking (mod 256)
 * @param maxAge     the oldest a cookie may be (MAX_SYNCOOKIE_AGE, 2 minutes): older ones fail
 * @param h2         H2(four-tuple, count): SipHash-2-4 under the second secret, 32 bits
 * @param mssIndex   the low 24 bits less H2: the MSS index, 0 to 3 for a cookie this server made
 * @param mssTable   the MSS values the index chooses from (Linux's msstab)
 * @param mss        the MSS the cookie encodes, or 0 when the index is out of the table
 * @param valid      young enough and the index in the table: the server would accept the ACK
 */
public record SynCookieFields(long h1, int countBits, int count, int age, int maxAge, long h2, int mssIndex,
                              int[] mssTable, int mss, boolean valid) {}
