package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threeway.web.Browser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Live mode: {@code serve --ui PORT} on a TUN device whose kernel end sits in a network namespace this test
 * creates; the kernel's curl fetches a page from the stack, and the web lab's live page shows the handshake.
 * Needs root, /dev/net/tun, ip netns and curl (skipped with a message elsewhere).
 */
class LiveUiTest {

    private static boolean root() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return new String(p.getInputStream().readAllBytes()).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }

    @Test
    void liveModeShowsTheHandshakeOfAKernelCurl() throws Exception {
        boolean can = root() && Files.isWritable(Path.of("/dev/net/tun")) && Files.isExecutable(Path.of("/usr/bin/curl"));
        assumeTrue(can, "live mode's test needs root, /dev/net/tun, ip netns and curl: skipped");
        long id = ProcessHandle.current().pid() % 100000;
        String ns = "twlive" + id;
        String tun = "twl" + id;
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(0, sh("ip", "netns", "add", ns));
        Process serve = null;
        try (Browser browser = Browser.open()) {
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            String java = ProcessHandle.current().info().command().orElse("java");
            serve = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "io.threeway.cli.Main", "serve", "--tun", tun, "--addr", "198.18.0.2/15", "--kernel-addr",
                    "198.18.0.1/15", "--netns", ns, "--http", "80", "--ui", Integer.toString(port))
                    .redirectErrorStream(true).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Process p = serve;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException e) {
                    lines.add("read error: " + e);
                }
            });
            reader.setDaemon(true);
            reader.start();
            List<String> seen = new ArrayList<>();
            String line;
            while ((line = lines.poll(120, TimeUnit.SECONDS)) != null && !line.contains("live web lab at")) seen.add(line);
            assertTrue(line != null, "serve started: " + seen);
            browser.driver.get("http://127.0.0.1:" + port + "/?live");
            browser.wait.until(d -> "on".equals(browser.js("return document.body.dataset.live")));
            assertEquals(0, sh("ip", "netns", "exec", ns, "curl", "-s", "-m", "20", "-o", "/dev/null", "http://198.18.0.2/"),
                    "the kernel's curl got its page");
            // The handshake, however the load spaced it (the kernel may resend its SYN): a SYN from the kernel,
            // the stack's SYN-ACK acknowledging it, the kernel's ACK of that, in the order the stack saw them.
            String handshake = """
                    const v = window.threeway.v; if (!v) return null;
                    const ps = v.packets.filter(p => p.fl);
                    const syn = ps.find(p => p.fl === 'S' && p.f === 'kernel');
                    const sa = syn && ps.find(p => p.i > syn.i && p.fl === 'S.' && p.ack === (syn.seq + 1) % 4294967296);
                    const ack = sa && ps.find(p => p.i > sa.i && p.fl === '.' && p.f === 'kernel'
                        && p.ack === (sa.seq + 1) % 4294967296);
                    return ack ? [syn.i, sa.i, ack.i] : null;""";
            browser.wait.until(d -> browser.js(handshake) != null);
            @SuppressWarnings("unchecked")
            List<Long> tcp = (List<Long>) browser.js(handshake);
            // Pause, go to the first event, and read the ladder itself.
            browser.driver.findElement(By.id("live-toggle")).click();
            browser.wait.until(d -> "paused".equals(browser.js("return document.body.dataset.live")));
            new org.openqa.selenium.interactions.Actions(browser.driver).sendKeys(org.openqa.selenium.Keys.HOME).perform();
            String[] flags = {"S", "S.", "."};
            for (int i = 0; i < 3; i++) {
                long packet = tcp.get(i);
                String want = flags[i];
                browser.wait.until(d -> want.equals(browser.js("const g = document.querySelector(`#ladder [data-packet='${arguments[0]}']`);"
                        + " return g ? g.dataset.flags : null", packet)));
            }
            String text = (String) browser.js("return document.querySelector('#ladder svg').textContent");
            assertTrue(text.contains("kernel") && text.contains("ESTABLISHED"), text);
            // Events in the order the stack saw them: SYN-RECEIVED after the SYN arrived, ESTABLISHED after the ACK.
            @SuppressWarnings("unchecked")
            List<Long> order = (List<Long>) browser.js("""
                    const v = window.threeway.v, tr = (to) => v.transitions.findIndex(t => t.to === to);
                    return [v._send[arguments[0]], v._trEvent[tr('SYN-RECEIVED')], v._send[arguments[1]],
                            v._send[arguments[2]], v._trEvent[tr('ESTABLISHED')]];""", tcp.get(0), tcp.get(1), tcp.get(2));
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i) > order.get(i - 1), "SYN, SYN-RECEIVED, SYN-ACK, ACK, ESTABLISHED: " + order);
            }
            // The socket table at ESTABLISHED: copied by the stack right after that state change.
            browser.js("const a = window.threeway; a.setCursor(arguments[0]);", order.get(4));
            browser.driver.findElement(By.id("tab-tools")).click();
            browser.wait.until(d -> {
                Object ss = browser.js("const e = document.querySelector('#pane-tools pre.ss'); return e ? e.textContent : ''");
                return ss != null && ss.toString().contains("ESTAB") && ss.toString().contains("198.18.0.2:80");
            });
            browser.screenshot("live-kernel-curl");
            browser.js("document.getElementById('pane-tools').scrollIntoView()");
            browser.screenshot("live-kernel-curl-ss");
            assertEquals(List.of(), browser.outsideRequests(), "the page requested only 127.0.0.1");
        } finally {
            if (serve != null) {
                serve.destroy();
                if (!serve.waitFor(10, TimeUnit.SECONDS)) serve.destroyForcibly();
            }
            sh("ip", "netns", "del", ns);
        }
    }
}
