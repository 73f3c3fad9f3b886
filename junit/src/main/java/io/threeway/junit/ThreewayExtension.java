package io.threeway.junit;

import io.threeway.api.Host;
import io.threeway.api.Network;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import java.lang.reflect.Method;

/**
 * The JUnit Jupiter extension behind {@link ThreewayTest}: each test gets a fresh simulated {@link Network} (seed
 * from {@link ThreewayTest#seed()}, sealed if asked) and its {@link Host}s by parameter (named by {@link HostName}
 * or by the parameter's name); the network is closed after the test. When the test fails, the failure carries the
 * run's report (every host's {@code ss -tano} and the packets as tcpdump lines) as a suppressed exception, and the
 * packets are written to {@code target/threeway/CLASS/METHOD.pcap} (under the directory named by the system
 * property {@code threeway.pcapDir}, if set).
 */
public final class ThreewayExtension implements ParameterResolver, TestExecutionExceptionHandler {
    /** Where the network of a test is kept. */
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreewayExtension.class);
    /** The store key of the network. */
    private static final String NETWORK = "network";

    /** Made by JUnit. */
    public ThreewayExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> type = p.getParameter().getType();
        return type == Network.class || type == Host.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Network net = network(c);
        if (p.getParameter().getType() == Network.class) return net;
        return net.host(hostName(p.getParameter()));
    }

    @Override
    public void handleTestExecutionException(ExtensionContext c, Throwable failure) throws Throwable {
        Network net = c.getStore(NS).get(NETWORK, Holder.class) instanceof Holder h ? h.net : null;
        if (net != null) {
            Path pcap = pcapPath(c);
            String where;
            try {
                net.writePcap(pcap);
                where = "pcap written to " + pcap.toAbsolutePath();
            } catch (RuntimeException e) {
                where = "pcap not written: " + e;
            }
            failure.addSuppressed(new NetworkReport(net.report() + "\n" + where));
        }
        throw failure;
    }

    private static Network network(ExtensionContext c) {
        return c.getStore(NS).getOrComputeIfAbsent(NETWORK, k -> {
            ThreewayTest cfg = config(c);
            Network n = Network.simulated(cfg == null ? 1 : cfg.seed());
            if (cfg != null && cfg.sealed()) n.seal();
            return new Holder(n);
        }, Holder.class).net;
    }

    private static ThreewayTest config(ExtensionContext c) {
        Optional<AnnotatedElement> m = c.getElement();
        if (m.isPresent() && m.get().isAnnotationPresent(ThreewayTest.class)) return m.get().getAnnotation(ThreewayTest.class);
        return c.getTestClass().map(k -> k.getAnnotation(ThreewayTest.class)).orElse(null);
    }

    private static String hostName(Parameter p) {
        HostName n = p.getAnnotation(HostName.class);
        if (n != null) return n.value();
        if (p.isNamePresent()) return p.getName();
        throw new ParameterResolutionException("host parameter '" + p.getName() + "' has no name: annotate it with"
                + " @HostName(\"...\") or compile the test with -parameters");
    }

    private static Path pcapPath(ExtensionContext c) {
        String base = System.getProperty("threeway.pcapDir", "target/threeway");
        String cls = c.getTestClass().map(Class::getName).orElse("test");
        String method = c.getTestMethod().map(Method::getName).orElse("run");
        return Path.of(base, cls, method + ".pcap");
    }

    /** Keeps a test's network, closing it when JUnit discards the store. */
    private record Holder(Network net) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            net.close();
        }
    }

    /** The network's state when the test failed, carried as a suppressed exception of the failure. */
    public static final class NetworkReport extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * A report.
         *
         * @param report the text: socket tables and tcpdump lines
         */
        public NetworkReport(String report) {
            super(report, null, false, false);
        }
    }
}
