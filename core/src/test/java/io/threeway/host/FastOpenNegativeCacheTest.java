package io.threeway.host;

import static io.threeway.host.FastOpenTest.SERVER;
import static io.threeway.host.FastOpenTest.requestDelay;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.EngineProfile;
import io.threeway.wire.TcpOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 7413 §4.1.3's negative cache (the engine profile's fastOpenPathDisableNanos, FreeBSD's
 * fastopen.path_disable_time): a cookie request answered without a cookie turns Fast Open off to that server
 * for a while; Linux's default keeps asking.
 */
class FastOpenNegativeCacheTest {

    /** A middlebox strips the option from the client's first SYN; the path is clean afterwards. */
    private static FastOpenTest.Setup strippedOnce(EngineProfile clientProfile) {
        FastOpenTest.Setup e = FastOpenTest.setup();
        e.client().setEngineProfile(clientProfile);
        e.link().aToB().addRule(Rules.stripTcpOption(TcpOptions.KIND_FASTOPEN));
        requestDelay(e); // asked for a cookie; the server never saw the request
        e.link().aToB().clearRules();
        return e;
    }

    @Test
    void aCookieRequestAnsweredWithoutACookieTurnsFastOpenOffForThePathDisableTime() {
        FastOpenTest.Setup e = strippedOnce(EngineProfile.LINUX.withFastOpenPathDisableNanos(900_000_000_000L));
        requestDelay(e);
        assertEquals(0, e.server().counters().get(Counter.TCP_FAST_OPEN_COOKIE_REQD), "no request while disabled");
        assertFalse(e.client().hasFastOpenCookie(SERVER));
        e.net().sim().runFor(Duration.ofSeconds(901));
        requestDelay(e);
        assertEquals(1, e.server().counters().get(Counter.TCP_FAST_OPEN_COOKIE_REQD), "asks again after 900 s");
        assertTrue(e.client().hasFastOpenCookie(SERVER));
    }

    @Test
    void linuxKeepsAskingForACookie() {
        FastOpenTest.Setup e = strippedOnce(EngineProfile.LINUX);
        requestDelay(e);
        assertEquals(1, e.server().counters().get(Counter.TCP_FAST_OPEN_COOKIE_REQD));
        assertTrue(e.client().hasFastOpenCookie(SERVER));
    }
}
