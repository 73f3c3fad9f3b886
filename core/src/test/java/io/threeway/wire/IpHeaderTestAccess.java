package io.threeway.wire;

/** Lets tests in other packages build the odd packets {@link IpHeaderTest} builds. */
public final class IpHeaderTestAccess {
    private IpHeaderTestAccess() {}

    public static byte[] v6WithExtension(int type, int secondByte, int fragOffsetWord) {
        return IpHeaderTest.v6WithExtension(type, secondByte, fragOffsetWord);
    }
}
