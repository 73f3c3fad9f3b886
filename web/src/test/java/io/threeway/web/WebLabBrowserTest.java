package io.threeway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

/**
 * The web lab in a real browser (Debian's headless Chromium): what the page shows for real runs, checked
 * against what the CLI prints for the same seed. Screenshots go to target/screenshots.
 */
class WebLabBrowserTest {
    private static LabServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.open();
        server = LabServer.start(0);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                List<String> outside = browser.outsideRequests();
                assertTrue(browser.networkRequests().stream().anyMatch(u -> u.endsWith("/js/ladder.js")),
                        "the performance log saw the page's own requests: " + browser.networkRequests());
                assertEquals(List.of(), outside, "the page requested only 127.0.0.1");
                browser.close();
            }
        } finally {
            if (server != null) server.close();
        }
    }

    private void open(String query) {
        browser.driver.get(server.url() + query);
    }

    private WebElement waitFor(String css) {
        return browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** The handshake's lines as the CLI's --json prints them for the seed. */
    private static List<String> cliLines(long seed) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ScenarioOptions o = new ScenarioOptions(ScenarioOptions.DEFAULT_RTT, 0, seed, null, true,
                new io.threeway.settings.Sysctls());
        Scenarios.find("handshake").orElseThrow().run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        JsonNode doc = Json.MAPPER.readTree(buf.toString(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (JsonNode s : doc.path("segments")) lines.add(s.path("line").asString());
        return lines;
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + " (\\d+)").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void handshakeLadderShowsSynSynAckAckWithTheCliNumbers() throws Exception {
        List<String> cli = cliLines(7);
        open("?scenario=handshake&seed=7&rtt=100ms");
        waitFor("#ladder [data-packet='2']");
        String[] flags = {"S", "S.", "."};
        for (int i = 0; i < 3; i++) {
            WebElement arrow = browser.driver.findElement(By.cssSelector("#ladder [data-packet='" + i + "']"));
            assertEquals(flags[i], arrow.getAttribute("data-flags"), "packet " + i + "'s flags");
            String label = arrow.findElement(By.cssSelector("text.label")).getText();
            for (String f : new String[] {"seq", "ack"}) {
                String want = field(cli.get(i), f);
                if (want != null) assertEquals(want, field(label, f), f + " of packet " + i + " (" + label + ")");
            }
        }
        browser.screenshot("handshake-ladder");
    }

    @Test
    void steppingLightsSynSentThenEstablishedOnTheClient() throws Exception {
        open("?scenario=handshake&seed=7");
        waitFor("#ladder [data-packet='0']");
        List<String> seen = new ArrayList<>();
        String firstCursor = browser.driver.findElement(By.tagName("body")).getAttribute("data-cursor");
        for (int i = 0; i < 12; i++) {
            String s = browser.driver.findElement(By.cssSelector(".state-card[data-host='client']")).getAttribute("data-state");
            String lit = browser.driver.findElements(By.cssSelector(".state-card[data-host='client'] .st.lit")).stream()
                    .map(e -> e.getAttribute("data-state")).findFirst().orElse("");
            assertEquals(s, lit, "the lit state is the card's state");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) seen.add(s);
            new Actions(browser.driver).sendKeys(Keys.ARROW_RIGHT).perform();
        }
        String cursor = browser.driver.findElement(By.tagName("body")).getAttribute("data-cursor");
        assertTrue(!cursor.equals(firstCursor), "the cursor moved");
        int sent = seen.indexOf("SYN-SENT");
        int est = seen.indexOf("ESTABLISHED");
        assertTrue(sent >= 0 && est > sent, "SYN-SENT then ESTABLISHED: " + seen);
        browser.screenshot("handshake-stepped");
    }

    @Test
    void clickingTheSynAckShowsAckIsClientIsnPlusOneAndItsFourBytes() throws Exception {
        List<String> cli = cliLines(7);
        long clientIsn = Long.parseLong(field(cli.get(0), "seq"));
        open("?scenario=handshake&seed=7");
        WebElement synAck = waitFor("#ladder [data-packet='1'] text.label");
        synAck.click();
        WebElement explain = waitFor("#inspector .explain li[data-field='Acknowledgment Number']");
        String text = explain.getText();
        assertTrue(text.contains("ack = " + (clientIsn + 1) + " = client's ISN " + clientIsn + " + 1"), text);
        List<WebElement> lit = browser.driver.findElements(By.cssSelector("#inspector .hex span.b.hl"));
        assertEquals(4, lit.size(), "four bytes highlighted");
        StringBuilder hex = new StringBuilder();
        for (WebElement b : lit) hex.append(b.getText());
        assertEquals(String.format("%08x", clientIsn + 1), hex.toString(), "the highlighted bytes are the ack field");
        assertEquals("28", lit.get(0).getAttribute("data-offset"), "20 bytes of IPv4, then 8 into the TCP header");
        browser.screenshot("handshake-synack-inspector");
    }

    @Test
    void badInputGetsAClearMessageAndTheServerKeepsServing() throws Exception {
        open("?scenario=nosuch");
        WebElement banner = waitFor("#banner.error");
        browser.wait.until(d -> !banner.getText().isEmpty());
        assertTrue(banner.getText().contains("unknown scenario 'nosuch'"), banner.getText());
        open("?scenario=handshake&rtt=abc&sysctl=net.ipv4.nope%3D1");
        WebElement rtt = waitFor("[data-error-for='rtt']");
        browser.wait.until(d -> !rtt.getText().isEmpty());
        assertTrue(rtt.getText().contains("'abc' is not a duration"), rtt.getText());
        assertTrue(browser.driver.findElement(By.cssSelector("[data-error-for='sysctl']")).getText().contains("unknown sysctl"));
        browser.screenshot("bad-input");
        Path notPcap = Files.createTempFile("not-a-pcap", ".pcap");
        Files.writeString(notPcap, "hello, this is text\n");
        browser.driver.findElement(By.id("pcap-file")).sendKeys(notPcap.toString());
        browser.wait.until(d -> d.findElement(By.id("banner")).getText().contains("is not a pcap file"));
        Files.delete(notPcap);
        open("?scenario=handshake&seed=3");
        waitFor("#ladder [data-packet='2']");
    }
}
