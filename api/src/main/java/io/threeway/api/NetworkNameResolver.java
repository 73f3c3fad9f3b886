package io.threeway.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JDK name service while Threeway is on the class or module path (registered as the
 * {@link InetAddressResolverProvider}): host names resolve inside the {@link Network} the calling thread works
 * in, so {@code http://api.test/} reaches the host named {@code api.test} whatever library makes the lookup.
 * You never call it; {@link InetAddress} does.
 *
 * <ul>
 *   <li>On a network's application thread, a name is that network's host or an {@link UnknownHostException};
 *       the system resolver (and so the real DNS) is never asked.</li>
 *   <li>On another thread while exactly one network is open (a test's own thread), that network's hosts
 *       resolve, and other names go to the system resolver, unless a {@link Sealed sealed} run is on, which
 *       refuses them.</li>
 *   <li>Otherwise the system resolver answers, as without Threeway.</li>
 * </ul>
 *
 * <p>The JDK caches lookups (30 s for names, 10 s for failures by default), which would carry one network's
 * answers into the next test; when it is loaded it sets the {@code networkaddress.cache.ttl} and
 * {@code networkaddress.cache.negative.ttl} security properties to 0 unless they were set.
 */
public final class NetworkNameResolver extends InetAddressResolverProvider {
    /** Registered by the service loader. */
    public NetworkNameResolver() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        if (Security.getProperty("networkaddress.cache.ttl") == null
                || "30".equals(Security.getProperty("networkaddress.cache.ttl"))) {
            Security.setProperty("networkaddress.cache.ttl", "0");
        }
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        return new Resolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "threeway";
    }

    /** Network names first, the system's resolver where the rules above allow it. */
    private record Resolver(InetAddressResolver builtin) implements InetAddressResolver {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            Network n = Networks.current();
            if (n != null) {
                Host h = Names.find(n, host);
                if (h != null) return byPolicy(h.addresses(host), policy);
                if (Networks.isApplicationThread(n)) {
                    throw new UnknownHostException(host + ": no host of that name in the Threeway network (seed "
                            + n.seed() + ")");
                }
            }
            Sealed.checkLookup(host);
            return builtin.lookupByName(host, policy);
        }

        @Override
        public String lookupByAddress(byte[] addr) throws UnknownHostException {
            Network n = Networks.current();
            if (n != null) {
                Host h = Names.at(n, InetAddress.getByAddress(addr));
                if (h != null) return h.name();
                if (Networks.isApplicationThread(n)) {
                    throw new UnknownHostException("no host at that address in the Threeway network");
                }
            }
            Sealed.checkLookup(InetAddress.getByAddress(addr).getHostAddress());
            return builtin.lookupByAddress(addr);
        }

        private static Stream<InetAddress> byPolicy(InetAddress[] both, LookupPolicy policy) throws UnknownHostException {
            int c = policy.characteristics();
            boolean v4 = (c & LookupPolicy.IPV4) != 0;
            boolean v6 = (c & LookupPolicy.IPV6) != 0;
            List<InetAddress> out = new ArrayList<>(2);
            if ((c & LookupPolicy.IPV6_FIRST) != 0) {
                if (v6) out.add(both[1]);
                if (v4) out.add(both[0]);
            } else {
                if (v4) out.add(both[0]);
                if (v6) out.add(both[1]);
            }
            if (out.isEmpty()) throw new UnknownHostException("no address of the family asked for");
            return out.stream();
        }
    }
}
