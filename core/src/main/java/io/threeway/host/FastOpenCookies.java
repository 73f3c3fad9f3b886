package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.wire.IpAddress;
import java.util.random.RandomGenerator;
import io.threeway.wire.Bytes;

/**
 * The server's Fast Open cookies (RFC 7413 §4.1.2): an 8-byte MAC of the client's and server's addresses
 * under net.ipv4.tcp_fastopen_key, as Linux's __tcp_fastopen_cookie_gen_cipher computes it with SipHash.
 * Linux sets a random key at boot; so does each stack, unless the key is set by sysctl.
 */
final class FastOpenCookies {
    static final int COOKIE_LENGTH = 8;
    private static final String UNSET = "00000000-00000000-00000000-00000000";
    private final long bootK0;
    private final long bootK1;
    private String keyText;
    private SipHash key;

    FastOpenCookies(RandomGenerator random) {
        bootK0 = random.nextLong();
        bootK1 = random.nextLong();
    }

    byte[] cookie(IpAddress client, IpAddress server, Sysctls sysctls) {
        long h = key(sysctls).hash(client.hi(), client.lo(), server.hi(), server.lo());
        byte[] c = new byte[COOKIE_LENGTH];
        Bytes.putLong(c, 0, h);
        return c;
    }

    /** The key: the sysctl's 128 bits (32 hex digits, dashes ignored) when set, else the boot-time random key. */
    private SipHash key(Sysctls sysctls) {
        String text = sysctls.getString(Sysctl.TCP_FASTOPEN_KEY);
        if (key != null && text.equals(keyText)) return key;
        keyText = text;
        String hex = text.replace("-", "").replace(",", "");
        if (text.equals(UNSET) || hex.length() < 32) {
            key = new SipHash(bootK0, bootK1);
        } else {
            key = new SipHash(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16, 32), 16));
        }
        return key;
    }
}
