package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A cookie taken apart with the secrets gives back every field it was made from, as the check reads them. */
class SynCookieReaderTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void everyFieldComesBackAndTheSumIsTheCookie() {
        SplittableRandom r = new SplittableRandom(4);
        SynCookies cookies = new SynCookies(new SplittableRandom(11));
        SynCookieReader reader = new SynCookieReader(cookies);
        for (int n = 0; n < 2000; n++) {
            boolean v6 = r.nextBoolean();
            FourTuple t = new FourTuple(v6 ? IpAddress.parse("2001:db8::2") : IpAddress.parse("198.18.0.2"), 80,
                    v6 ? IpAddress.v6(0x20010db800000000L, r.nextLong()) : IpAddress.v4(0xC6120000 | r.nextInt(1 << 16)),
                    1024 + r.nextInt(60000));
            int peerIsn = r.nextInt();
            int offered = 500 + r.nextInt(9000);
            long made = r.nextLong(1000 * MINUTE);
            int cookie = cookies.encode(t, peerIsn, offered, made);
            SynCookieFields f = reader.read(t, cookie, peerIsn, made);
            int[] table = v6 ? SynCookies.MSS_V6 : SynCookies.MSS_V4;
            int index = table.length - 1;
            while (index > 0 && offered < table[index]) index--;
            assertEquals(index, f.mssIndex(), "the MSS index");
            assertEquals(table[index], f.mss());
            assertArrayEquals(table, f.mssTable());
            assertEquals(made / MINUTE, f.count(), "the minute counter");
            assertEquals((int) (made / MINUTE) & 0xFF, f.countBits(), "its 8 bits in the cookie");
            assertEquals(0, f.age());
            assertTrue(f.valid());
            int sum = (int) f.h1() + peerIsn + (f.countBits() << 24) + (((int) f.h2() + f.mssIndex()) & 0xFFFFFF);
            assertEquals(cookie, sum, "H1 + peer ISN + (count << 24) + ((H2 + index) mod 2^24) is the cookie");
            assertEquals(cookies.check(t, cookie, peerIsn, made + MINUTE), reader.read(t, cookie, peerIsn, made + MINUTE).mss(),
                    "read a minute later agrees with the check");
            SynCookieFields late = reader.read(t, cookie, peerIsn, made + 2 * MINUTE);
            assertEquals(2, late.age(), "two minutes on");
            assertFalse(late.valid(), "too old: the check fails");
            assertEquals(0, cookies.check(t, cookie, peerIsn, made + 2 * MINUTE));
            SynCookieFields forged = reader.read(t, cookie ^ 0x00400000, peerIsn, made);
            assertEquals(forged.mssIndex() < 4, forged.valid(), "a changed low part fails the hash check unless it lands on an index");
        }
    }
}
