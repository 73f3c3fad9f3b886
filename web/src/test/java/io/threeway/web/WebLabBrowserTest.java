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
        ScenarioOptions o = ScenarioOptions.defaults().withSeed(seed).withJson(true);
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
        // tcpdump -S: the third segment's ack as an absolute number, the server's ISN + 1.
        long serverIsn = Long.parseLong(field(cli.get(1), "seq"));
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("labels"))).selectByValue("abs");
        String abs = browser.driver.findElement(By.cssSelector("#ladder [data-packet='2'] text.label")).getText();
        assertEquals(Long.toString(serverIsn + 1), field(abs, "ack"), abs);
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
        String sysctl = browser.driver.findElement(By.cssSelector("[data-error-for='sysctl']")).getText();
        assertTrue(sysctl.contains("net.ipv4.nope"), sysctl);
        browser.screenshot("bad-input");
        Path notPcap = Files.createTempFile("not-a-pcap", ".pcap");
        Files.writeString(notPcap, "hello, this is text\n");
        browser.driver.findElement(By.id("pcap-file")).sendKeys(notPcap.toString());
        browser.wait.until(d -> d.findElement(By.id("banner")).getText().contains("is not a pcap file"));
        Files.delete(notPcap);
        open("?scenario=handshake&seed=3");
        waitFor("#ladder [data-packet='2']");
    }

    @Test
    void windowScalingTimeSequenceSlopeIsTheReportedGoodput() throws Exception {
        open("?scenario=window-scaling&bandwidth=20mbit&queue=100000&duration=3s&measure-from=1s");
        waitFor("#ladder [data-packet='0']");
        assertEquals("20mbit", browser.driver.findElement(By.id("f-bandwidth")).getAttribute("value"),
                "the form, built from the lab's catalogue, holds the link's bandwidth");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("variant"))).selectByValue("1");
        browser.driver.findElement(By.id("tab-plots")).click();
        waitFor("[data-plot='time-sequence'] path[data-layer='segments']");
        // Least squares over the plotted ACK line (what the receiver got, as the sender learns it) between
        // --measure-from and --duration. The segments' own slope is the sending rate, higher while the
        // bottleneck's queue fills.
        Number slope = (Number) browser.js("""
                const d = window.threeway.plots.timeSeq.acks.filter(b => b[0] >= 1 && b[0] <= 3);
                const n = d.length, mx = d.reduce((s, b) => s + b[0], 0) / n, my = d.reduce((s, b) => s + b[1], 0) / n;
                let sxy = 0, sxx = 0;
                for (const b of d) { sxy += (b[0] - mx) * (b[1] - my); sxx += (b[0] - mx) ** 2; }
                return sxy / sxx;""");
        Number goodput = (Number) browser.js(
                "return window.threeway.run.findings.results[1].figures.goodput.value;");
        double plottedMbit = slope.doubleValue() * 8 / 1e6;
        assertEquals(goodput.doubleValue(), plottedMbit, goodput.doubleValue() * 0.05,
                "the time-sequence slope (Mbit/s) against the run's goodput");
        int drawn = Integer.parseInt(browser.driver.findElement(
                By.cssSelector("[data-plot='time-sequence'] path[data-layer='segments']")).getAttribute("data-count"));
        assertTrue(drawn > 1000, "the plot draws the run's segments: " + drawn);
        browser.js("document.getElementById('pane-plots').scrollIntoView()");
        browser.screenshot("window-scaling-plots");
    }

    @Test
    void aPcapWrittenByTheRealTcpdumpOpens(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pcap = RealCapture.make(dir);
        open("");
        waitFor("#f-scenario option");
        browser.driver.findElement(By.id("pcap-file")).sendKeys(pcap.toString());
        waitFor("#ladder [data-packet='2']");
        String[] flags = {"S", "S.", "."};
        for (int i = 0; i < 3; i++) {
            assertEquals(flags[i], browser.driver.findElement(By.cssSelector("#ladder [data-packet='" + i + "']"))
                    .getAttribute("data-flags"), "packet " + i);
        }
        String hosts = browser.driver.findElement(By.cssSelector("#ladder svg")).getText();
        assertTrue(hosts.contains("127.0.0.1:8765"), "the server's end is a column: " + hosts);
        browser.driver.findElement(By.cssSelector("#ladder [data-packet='1'] text.label")).click();
        WebElement explain = waitFor("#inspector .explain li[data-field='Acknowledgment Number']");
        assertTrue(explain.getText().contains("ISN"), explain.getText());
        browser.screenshot("real-tcpdump-pcap");
    }

    @Test
    void aHundredThousandSegmentsDrawWithoutFreezing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pcap = SyntheticCapture.write(dir.resolve("large.pcap"), 100_000);
        open("");
        waitFor("#f-scenario option");
        browser.driver.findElement(By.id("pcap-file")).sendKeys(pcap.toString());
        browser.wait.until(d -> d.findElement(By.id("run-title")).getText().contains("large.pcap"));
        waitFor("#ladder [data-packet='0']");
        System.out.println("large capture: " + browser.js("return JSON.stringify(window.threeway.timings)"));
        long events = (Long) browser.js("return window.threeway.v.events.length");
        assertEquals(100_000, events, "every segment is in the model");
        long drawn = (Long) browser.js("return document.querySelectorAll('#ladder [data-packet]').length");
        assertTrue(drawn > 10 && drawn < 2_000, "only the rows in view are drawn: " + drawn);
        long t0 = System.nanoTime();
        new Actions(browser.driver).sendKeys(Keys.END).perform();
        browser.wait.until(d -> browser.js("return document.body.dataset.cursor").equals("99999"));
        System.out.println("large capture: End took " + (System.nanoTime() - t0) / 1e6 + " ms");
        waitFor("#ladder [data-packet='99999']");
        t0 = System.nanoTime();
        browser.driver.findElement(By.id("tab-plots")).click();
        System.out.println("large capture: plots took " + (System.nanoTime() - t0) / 1e6 + " ms");
        WebElement bars = waitFor("[data-plot='time-sequence'] path[data-layer='segments']");
        assertTrue(Integer.parseInt(bars.getAttribute("data-count")) > 60_000, "the plot takes every data segment");
        long pathLength = (Long) browser.js("return document.querySelector(\"[data-plot='time-sequence'] "
                + "path[data-layer='segments']\").getAttribute('d').length");
        assertTrue(pathLength < 400_000, "merged per pixel column: " + pathLength + " characters of path");
        browser.screenshot("large-capture");
    }

    @Test
    void ssAndNstatAtTheEndAreWhatTheCliFormattersPrint() throws Exception {
        // The CLI's view of the handshake's hosts at the end of the run (the same formatters as ss -tani, nstat -a).
        io.threeway.lab.Moments m = io.threeway.lab.Moments.atEnd();
        Scenarios.find("handshake").orElseThrow().run(ScenarioOptions.defaults().withSeed(7).withMoments(m),
                new PrintStream(java.io.OutputStream.nullOutputStream()));
        io.threeway.tools.HostSnapshot client = m.snapshots().stream().filter(h -> h.host().equals("client")).findFirst().orElseThrow();
        String ss = String.join("\n", io.threeway.tools.SsFormatter.format(client,
                new io.threeway.tools.SsOptions(true, false, true, true, false, false, false, false), io.threeway.tools.SsFilter.NONE));
        String nstat = String.join("\n", io.threeway.tools.NstatFormatter.format(client.counters(), null, 0, true, false));
        open("?scenario=handshake&seed=7");
        waitFor("#ladder [data-packet='0']");
        new Actions(browser.driver).sendKeys(Keys.END).perform();
        browser.driver.findElement(By.id("tab-tools")).click();
        WebElement pre = waitFor("#pane-tools [data-host='client'] pre.ss");
        assertEquals(ss, pre.getText());
        String shown = browser.driver.findElement(By.cssSelector("#pane-tools [data-host='client'] pre.nstat")).getText()
                .replaceAll(" {3}\\(\\+\\d+\\)", "");
        assertEquals(nstat, shown);
        // Stepping back to the first event shows the socket table of that moment: the client in SYN-SENT.
        new Actions(browser.driver).sendKeys(Keys.HOME).perform();
        browser.wait.until(d -> d.findElement(By.cssSelector("#pane-tools [data-host='client'] pre.ss")).getText().contains("SYN-SENT"));
        browser.screenshot("tools-at-cursor");
    }

    @Test
    void twoRunsCompareSideBySideAndRunsExport() throws Exception {
        open("?scenario=handshake&seed=7&rtt=50ms");
        waitFor("#ladder [data-packet='0']");
        long id = (Long) browser.js("return window.threeway.run.id");
        browser.driver.findElement(By.id("tab-compare")).click();
        WebElement q = browser.driver.findElement(By.id("compare-query"));
        assertTrue(q.getAttribute("value").contains("rtt=50ms"), q.getAttribute("value"));
        q.clear();
        q.sendKeys("scenario=handshake&seed=7&rtt=200ms");
        q.submit();
        WebElement row = waitFor("#pane-compare td[data-figure='summary.handshake_s'], #pane-compare tr.diff");
        String table = browser.driver.findElement(By.cssSelector("#pane-compare table")).getText();
        assertTrue(table.contains("0.05") && table.contains("0.2"), "both handshake times: " + table);
        assertTrue(row.isDisplayed());
        browser.screenshot("compare");
        // Exports: the run as JSON and pcap, the ladder as SVG.
        String json = (String) browser.js("const r = await fetch('/api/runs/' + arguments[0] + '/export.json'); return await r.text();", id);
        assertEquals(id, Json.MAPPER.readTree(json).path("id").asLong());
        String b64 = (String) browser.js("""
                const r = await fetch('/api/runs/' + arguments[0] + '/export.pcap?v=0');
                const b = new Uint8Array(await r.arrayBuffer()); let s = '';
                for (const x of b) s += String.fromCharCode(x); return btoa(s);""", id);
        byte[] pcap = java.util.Base64.getDecoder().decode(b64);
        int packets = 0;
        try (var r = new io.threeway.trace.PcapReader(new java.io.ByteArrayInputStream(pcap))) {
            while (r.next() != null) packets++;
        }
        assertEquals(((Long) browser.js("return window.threeway.run.variants[0].packets.length")).intValue(), packets);
        String svg = (String) browser.js("const u = await import('/js/util.js'); return u.svgFile(document.querySelector('#ladder svg'));");
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("seq 1:76"), svg.substring(0, 200));
    }
}
