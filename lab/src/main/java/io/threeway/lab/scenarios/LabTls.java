package io.threeway.lab.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The lab's TLS identity: a self-signed RSA 2048 key for 198.18.0.2 (keytool, 100 years; RSA so that every
 * signature has the same length and a run's packets the same sizes), shipped as a resource
 * so a run needs no key generation, and trusted as its own anchor. For experiments only.
 */
final class LabTls {
    private LabTls() {}

    private static final char[] PASSWORD = "threeway-lab".toCharArray();

    /**
     * A TLS context with the lab key, drawing its randomness from a generator seeded with {@code seed}. JSSE's
     * signatures still draw from the platform's generator, so the encrypted bytes differ from run to run;
     * their sizes, and so every packet's headers and time, do not.
     */
    static SSLContext context(long seed) {
        try (InputStream in = LabTls.class.getResourceAsStream("tls-lab.p12")) {
            if (in == null) throw new IllegalStateException("tls-lab.p12 is missing from the class path");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
