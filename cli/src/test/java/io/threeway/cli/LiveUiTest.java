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
            while ((line = lines.poll(60, TimeUnit.SECONDS)) != null && !line.contains("live web lab at")) seen.add(line);
            assertTrue(line != null, "serve started: " + seen);
            browser.driver.get("http://127.0.0.1:" + port + "/?live");
            browser.wait.until(d -> "on".equals(browser.js("return document.body.dataset.live")));
            assertEquals(0, sh("ip", "netns", "exec", ns, "curl", "-s", "-m", "20", "-o", "/dev/null", "http://198.18.0.2/"),
                    "the kernel's curl got its page");
            browser.wait.until(d -> "S,S.,.".equals(browser.js(
                    "const v = window.threeway.v; return v ? v.packets.filter(p => p.fl).slice(0, 3).map(p => p.fl).join(',') : ''")));
            // (The kernel may also send packets that are not TCP, IPv6 neighbour discovery: those are drawn too.)
            @SuppressWarnings("unchecked")
            List<Long> tcp = (List<Long>) browser.js("return window.threeway.v.packets.filter(p => p.fl).slice(0, 3).map(p => p.i)");
            // Pause, go to the first event, and read the ladder itself.
            browser.driver.findElement(By.id("live-toggle")).click();
            browser.wait.until(d -> "paused".equals(browser.js("return document.body.dataset.live")));
            new org.openqa.selenium.interactions.Actions(browser.driver).sendKeys(org.openqa.selenium.Keys.HOME).perform();
            browser.wait.until(d -> d.findElements(By.cssSelector("#ladder [data-packet='" + tcp.get(2) + "']")).size() > 0);
            String[] flags = {"S", "S.", "."};
            for (int i = 0; i < 3; i++) {
                assertEquals(flags[i], browser.driver.findElement(By.cssSelector("#ladder [data-packet='" + tcp.get(i) + "']"))
                        .getAttribute("data-flags"), "packet " + tcp.get(i));
            }
            String text = browser.driver.findElement(By.cssSelector("#ladder svg")).getText();
            assertTrue(text.contains("kernel") && text.contains("ESTABLISHED"), text);
            browser.screenshot("live-kernel-curl");
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
