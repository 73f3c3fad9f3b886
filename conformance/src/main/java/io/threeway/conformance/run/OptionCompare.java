package io.threeway.conformance.run;

import io.threeway.conformance.script.TcpOption;
import java.util.Arrays;
import java.util.List;

/**
 * packetdrill's verify_outbound_tcp_options: the stack's options against the line's, one by one. Kinds and
 * lengths must match; SACK blocks are compared in the script's sequence space; a timestamp's TSval is the
 * stack's clock, recorded for translating the script's later TSecr and checked only when
 * {@code --tcp_ts_tick_usecs} is set; its TSecr is not checked; every other option byte for byte.
 */
final class OptionCompare {
    private static final int TIMESTAMP = 8;
    private static final int SACK = 5;

    private OptionCompare() {}

    /** The difference, or null when the options match. */
    static String compare(List<TcpOption> want, byte[] actual, Peer peer, boolean syn, long tsTickUs, long toleranceUs) {
        byte[] expected = OptionBytes.encode(want, x -> x, x -> x).bytes();
        List<byte[]> e = PacketMatcher.split(expected);
        List<byte[]> a = PacketMatcher.split(actual);
        String mismatch = null;
        if (e.size() != a.size()) mismatch = "";
        for (int k = 0; mismatch == null && k < e.size(); k++) {
            mismatch = one(e.get(k), a.get(k), peer, syn, tsTickUs, toleranceUs);
        }
        if (mismatch == null) return null;
        String detail = mismatch.isEmpty() ? "" : " (" + mismatch + ")";
        return "options <" + OptionBytes.describe(actual, 0, actual.length, x -> peer.remoteToScript(x, syn)) + "> instead of <"
                + OptionBytes.describe(expected, 0, expected.length, x -> x) + ">" + detail;
    }

    /** One option pair: null when they match, else a reason (empty when the bytes simply differ). */
    private static String one(byte[] want, byte[] got, Peer peer, boolean syn, long tsTickUs, long toleranceUs) {
        if (want[0] != got[0] || want.length != got.length) return "";
        int kind = want[0] & 0xFF;
        if (kind == TIMESTAMP && want.length == 10) {
            long scriptVal = OptionBytes.u32(want, 2);
            long liveVal = OptionBytes.u32(got, 2);
            peer.learnTsVal(scriptVal, liveVal);
            if (tsTickUs > 0) {
                long asScript = peer.tsLiveToScript(liveVal);
                long drift = Math.abs((int) (asScript - scriptVal)) * tsTickUs;
                if (drift > toleranceUs) return "TS val " + asScript + " instead of " + scriptVal + ", tolerance " + toleranceUs + " us";
            }
            return null;
        }
        if (kind == SACK) {
            byte[] translated = got.clone();
            for (int i = 2; i + 4 <= translated.length; i += 4) {
                long v = peer.remoteToScript(OptionBytes.u32(got, i), syn);
                translated[i] = (byte) (v >>> 24);
                translated[i + 1] = (byte) (v >>> 16);
                translated[i + 2] = (byte) (v >>> 8);
                translated[i + 3] = (byte) v;
            }
            return Arrays.equals(want, translated) ? null : "";
        }
        return Arrays.equals(want, got) ? null : "";
    }
}
