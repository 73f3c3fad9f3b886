package io.threeway.tcp.cc;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import org.junit.jupiter.api.Test;

class CongestionControlsTest {
    @Test
    void byName() {
        assertEquals("cubic", CongestionControls.byName("cubic").name());
        assertEquals("reno", CongestionControls.byName("reno").name());
        assertNull(CongestionControls.byName("bbr"));
        assertNull(CongestionControls.byName(null));
        assertNotSame(CongestionControls.byName("cubic"), CongestionControls.byName("cubic"), "one per connection");
    }

    @Test
    void stackDefaultIsCubicAsOnLinux() {
        Sysctls s = new Sysctls();
        assertEquals("cubic", s.getString(Sysctl.TCP_CONGESTION_CONTROL));
        assertEquals("cubic", CongestionControls.stackDefault(s).name());
        s.set(Sysctl.TCP_CONGESTION_CONTROL, "reno");
        assertEquals("reno", CongestionControls.stackDefault(s).name());
    }
}
