package io.threeway.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Byte-exact option areas, as Linux's tcp_options_write and FreeBSD's tcp_addoptions produce them. */
class OptionLayoutTest {

    static String area(OptionLayout layout, TcpOptions o) {
        byte[] b = new byte[40];
        int n = layout.write(o, b, 0);
        assertEquals(n, layout.length(o), "length() and write() agree");
        assertEquals(0, n % 4, "option area is 32-bit aligned");
        return HexFormat.of().formatHex(b, 0, n);
    }

    static TcpOptions syn(boolean mss, boolean sack, boolean ts, boolean ws) {
        TcpOptions o = new TcpOptions();
        if (mss) o.mss = 1460;
        o.sackPermitted = sack;
        if (ts) {
            o.timestamps = true;
            o.tsVal = 1;
            o.tsEcr = 0;
        }
        if (ws) o.windowScale = 7;
        return o;
    }

    static final String MSS = "020405b4", SACKOK_TS = "0402080a0000000100000000", NOP_NOP_TS = "0101080a0000000100000000",
            NOP_NOP_SACKOK = "01010402", NOP_WS = "01030307";

    @Test
    void linuxSynLayouts() {
        OptionLayout L = OptionLayout.LINUX;
        assertEquals(MSS + SACKOK_TS + NOP_WS, area(L, syn(true, true, true, true)));
        assertEquals(MSS + NOP_NOP_SACKOK + NOP_WS, area(L, syn(true, true, false, true)));
        assertEquals(MSS + NOP_NOP_TS + NOP_WS, area(L, syn(true, false, true, true)));
        assertEquals(MSS + NOP_WS, area(L, syn(true, false, false, true)));
        assertEquals(MSS, area(L, syn(true, false, false, false)));
        assertEquals(MSS + SACKOK_TS, area(L, syn(true, true, true, false)));
        assertEquals(MSS + NOP_NOP_SACKOK, area(L, syn(true, true, false, false)));
        assertEquals(MSS + NOP_NOP_TS, area(L, syn(true, false, true, false)));
        assertEquals("", area(L, syn(false, false, false, false)));
    }

    @Test
    void linuxEstablishedLayouts() {
        TcpOptions o = syn(false, false, true, false);
        assertEquals(NOP_NOP_TS, area(OptionLayout.LINUX, o));
        o.addSack(0x10, 0x20);
        assertEquals(NOP_NOP_TS + "0101050a" + "00000010" + "00000020", area(OptionLayout.LINUX, o));
    }

    @Test
    void sackBlocksBeyondTheSpaceAreDropped() {
        TcpOptions o = syn(false, false, true, false);
        for (int i = 0; i < 4; i++) o.addSack(i * 100, i * 100 + 50);
        // 12 bytes of timestamps leave room for 3 blocks: 12 + 2 + 2 + 24 = 40.
        String a = area(OptionLayout.LINUX, o);
        assertEquals(80, a.length());
        assertEquals("0101051a", a.substring(24, 32));
        o.timestamps = false;
        assertEquals("01010522", area(OptionLayout.LINUX, o).substring(0, 8), "4 blocks fit without timestamps");
    }

    @Test
    void linuxFastOpen() {
        TcpOptions req = syn(true, true, true, true);
        req.setFastOpenCookie(new byte[0], 0);
        assertEquals(MSS + SACKOK_TS + NOP_WS + "22020101", area(OptionLayout.LINUX, req));

        TcpOptions cookie = syn(true, true, true, true);
        cookie.setFastOpenCookie(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 8);
        assertEquals(MSS + SACKOK_TS + NOP_WS + "220a0102030405060708" + "0101", area(OptionLayout.LINUX, cookie));

        TcpOptions four = syn(true, false, false, false);
        four.setFastOpenCookie(new byte[] {9, 9, 9, 9}, 4);
        assertEquals(MSS + "220609090909" + "0101", area(OptionLayout.LINUX, four));

        TcpOptions exp = syn(true, false, false, false);
        exp.setFastOpenCookie(new byte[] {9, 9, 9, 9}, 4);
        exp.fastOpenExperimental = true;
        assertEquals(MSS + "fe08f98909090909", area(OptionLayout.LINUX, exp));

        TcpOptions expReq = syn(true, false, false, false);
        expReq.setFastOpenCookie(new byte[0], 0);
        expReq.fastOpenExperimental = true;
        assertEquals(MSS + "fe04f989", area(OptionLayout.LINUX, expReq));
    }

    @Test
    void fastOpenIsLeftOutWhenItDoesNotFit() {
        TcpOptions o = syn(true, true, true, true); // 20 bytes
        o.setFastOpenCookie(new byte[16], 16);       // 18 -> 20: exactly 40
        assertEquals(40, OptionLayout.LINUX.length(o));
        o.addSack(1, 2);                             // a SACK would push the cookie out
        String a = area(OptionLayout.LINUX, o);
        assertEquals(MSS + SACKOK_TS + NOP_WS + "0101050a0000000100000002", a);
    }

    @Test
    void freebsdLayouts() {
        OptionLayout F = OptionLayout.FREEBSD;
        // mss, nop, wscale, sackOK, TS: 20 bytes, no padding needed.
        assertEquals(MSS + "01030307" + "0402" + "080a0000000100000000", area(F, syn(true, true, true, true)));
        // mss, nop, wscale, sackOK, then EOL and zero padding.
        assertEquals(MSS + "01030307" + "0402" + "0000", area(F, syn(true, true, false, true)));
        // mss, nop, wscale, nop, nop, TS.
        assertEquals(MSS + "01030307" + NOP_NOP_TS, area(F, syn(true, false, true, true)));
        // mss, sackOK, TS (TS lands at offset 6).
        assertEquals(MSS + SACKOK_TS, area(F, syn(true, true, true, false)));
        TcpOptions est = syn(false, false, true, false);
        est.addSack(0x10, 0x20);
        assertEquals(NOP_NOP_TS + "0101050a" + "00000010" + "00000020", area(F, est));
    }

    @Test
    void customLayoutIsJustData() {
        OptionLayout mssLast = new OptionLayout("odd", OptionLayout.Padding.NOP, java.util.List.of(
                OptionLayout.Placement.of(OptionLayout.Option.WINDOW_SCALE, 1, 0),
                OptionLayout.Placement.of(OptionLayout.Option.MSS, 1, 0)));
        assertEquals("030307" + "020405b4" + "01", area(mssLast, syn(true, false, false, true)));
    }
}
