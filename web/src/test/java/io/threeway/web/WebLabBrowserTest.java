package io.threeway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Scenarios;
import io.threeway.lab.record.RecordLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The web lab in a real browser (Debian's headless Chromium): what the page shows for real runs, checked
 * against what the CLI prints for the same seed. Screenshots go to target/screenshots.
 */
class WebLabBrowserTest {
    /** Packets one recorded run may hold in these tests. */
    private static final int MAX_PACKETS = 30_000;
    private static LabServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.open();
        // The web lab's limits, with fewer packets per run: a run past them is quick to make.
        server = LabServer.start(0, new RecordLimits(MAX_PACKETS, RecordLimits.WEB.maxPacketBytes(),
                RecordLimits.WEB.maxSnapshotRows(), RecordLimits.WEB.maxWallNanos()), null);
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

    /** Opens a run and waits until its ladder shows packet {@code packet} with its tcpdump label. */
    private void openRun(String query, int packet) {
        open(query);
        browser.wait.until(d -> !label(packet).isEmpty());
    }

    /** The label of packet {@code i}'s arrow as drawn now, "" when it is not drawn (read in one go: the ladder redraws). */
    private String label(int i) {
        Object t = browser.js("const l = document.querySelector(`#ladder [data-packet='${arguments[0]}'] text.label`);"
                + " return l ? l.textContent : '';", i);
        return t == null ? "" : (String) t;
    }

    private String flags(int i) {
        return (String) browser.js("const g = document.querySelector(`#ladder [data-packet='${arguments[0]}']`);"
                + " return g ? g.dataset.flags : null;", i);
    }

    private long cursor() { return Long.parseLong((String) browser.js("return document.body.dataset.cursor")); }

    /** The cursor's row among the ladder's rows. */
    private long cursorRow() { return (Long) browser.js("return window.threeway.ladder.rowOf.get(window.threeway.cursor)"); }

    private long rows() { return (Long) browser.js("return window.threeway.ladder.rows.length"); }

    private void keys(CharSequence... keys) { new Actions(browser.driver).sendKeys(keys).perform(); }

    /** The text of the first element matching {@code css}, "" when there is none (read in one go). */
    private String text(String css) {
        Object t = browser.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return t == null ? "" : (String) t;
    }

    /** Clicks packet {@code i}'s arrow label, again if the ladder redrew under the click. */
    private void clickPacket(int i) {
        browser.wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#ladder [data-packet='" + i + "'] text.label")).click();
            return true;
        });
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
        openRun("?scenario=handshake&seed=7&rtt=100ms", 2);
        String[] flags = {"S", "S.", "."};
        for (int i = 0; i < 3; i++) {
            assertEquals(flags[i], flags(i), "packet " + i + "'s flags");
            String label = label(i);
            for (String f : new String[] {"seq", "ack"}) {
                String want = field(cli.get(i), f);
                if (want != null) assertEquals(want, field(label, f), f + " of packet " + i + " (" + label + ")");
            }
        }
        browser.screenshot("handshake-ladder");
        // tcpdump -S: the third segment's ack as an absolute number, the server's ISN + 1.
        long serverIsn = Long.parseLong(field(cli.get(1), "seq"));
        new Select(browser.driver.findElement(By.id("labels"))).selectByValue("abs");
        browser.wait.until(d -> Long.toString(serverIsn + 1).equals(field(label(2), "ack")));
    }

    @Test
    void steppingLightsSynSentThenEstablishedOnTheClient() throws Exception {
        openRun("?scenario=handshake&seed=7", 0);
        List<String> seen = new ArrayList<>();
        long firstCursor = cursor();
        for (int i = 0; i < 12; i++) {
            @SuppressWarnings("unchecked")
            List<String> card = (List<String>) browser.js("const c = document.querySelector(\".state-card[data-host='client']\");"
                    + " const lit = c.querySelector('.st.lit'); return [c.dataset.state, lit ? lit.dataset.state : ''];");
            assertEquals(card.get(0), card.get(1), "the lit state is the card's state");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(card.get(0))) seen.add(card.get(0));
            long row = cursorRow();
            keys(Keys.ARROW_RIGHT);
            browser.wait.until(d -> cursorRow() == Math.min(row + 1, rows() - 1));
        }
        assertTrue(cursor() != firstCursor, "the cursor moved");
        int sent = seen.indexOf("SYN-SENT");
        int est = seen.indexOf("ESTABLISHED");
        assertTrue(sent >= 0 && est > sent, "SYN-SENT then ESTABLISHED: " + seen);
        browser.screenshot("handshake-stepped");
        // The tcpdump tab: the run's lines as the CLI prints them, time stamps and all.
        List<String> cli = cliLines(7);
        browser.driver.findElement(By.id("tab-tcpdump")).click();
        browser.wait.until(d -> text("#pane-tcpdump pre.tcpdump").contains("0.100000 " + cli.get(2)));
    }

    @Test
    void keysAndButtonsStepPlayPauseAndJump() throws Exception {
        openRun("?scenario=handshake&seed=7&rtt=100ms", 2);
        long last = rows() - 1;
        assertEquals(0, cursorRow(), "a run opens at its first event");
        // Arrow keys: right and down forward, left and up back; End and Home to the ends.
        keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_DOWN);
        browser.wait.until(d -> cursorRow() == 3);
        keys(Keys.ARROW_LEFT);
        browser.wait.until(d -> cursorRow() == 2);
        keys(Keys.ARROW_UP, Keys.ARROW_UP, Keys.ARROW_UP);
        browser.wait.until(d -> cursorRow() == 0);
        keys(Keys.END);
        browser.wait.until(d -> cursorRow() == last);
        keys(Keys.HOME);
        browser.wait.until(d -> cursorRow() == 0);
        // The buttons do the same.
        browser.driver.findElement(By.id("next")).click();
        browser.wait.until(d -> cursorRow() == 1);
        browser.driver.findElement(By.id("last")).click();
        browser.wait.until(d -> cursorRow() == last);
        browser.driver.findElement(By.id("prev")).click();
        browser.wait.until(d -> cursorRow() == last - 1);
        browser.driver.findElement(By.id("first")).click();
        browser.wait.until(d -> cursorRow() == 0);
        // Space plays at the chosen speed and stops by itself at the last event.
        new Select(browser.driver.findElement(By.id("speed"))).selectByValue("40");
        browser.driver.findElement(By.id("ladder")).click();
        keys(Keys.HOME);
        browser.wait.until(d -> cursorRow() == 0);
        // Every row the cursor visits, and whether the play button offered "Pause" meanwhile.
        browser.js("""
                const a = window.threeway; window.seen = { rows: [], pause: false };
                window.watch = new MutationObserver(() => {
                  window.seen.rows.push(a.ladder.rowOf.get(a.cursor));
                  window.seen.pause ||= document.getElementById('play').getAttribute('aria-label') === 'Pause';
                });
                window.watch.observe(document.body, { attributes: true, attributeFilter: ['data-cursor'] });""");
        keys(Keys.SPACE);
        browser.wait.until(d -> cursorRow() == last && "off".equals(browser.js("return document.body.dataset.playing")));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.js("window.watch.disconnect(); return window.seen;");
        List<Long> visited = new ArrayList<>();
        for (Object r : (List<?>) seen.get("rows")) visited.add((Long) r);
        for (int i = 0; i < last; i++) assertEquals(i + 1L, visited.get(i), "one event at a time to the last: " + visited);
        assertEquals(true, seen.get("pause"), "the button offered Pause while playing");
        // Play from the start, pause with space after a few steps: the cursor stays where it was paused.
        keys(Keys.HOME);
        browser.wait.until(d -> cursorRow() == 0);
        new Select(browser.driver.findElement(By.id("speed"))).selectByValue("1"); // slow: the pause comes mid-run
        browser.driver.findElement(By.id("play")).click();
        browser.wait.until(d -> cursorRow() >= 2);
        keys(Keys.SPACE);
        browser.wait.until(d -> "off".equals(browser.js("return document.body.dataset.playing")));
        long paused = cursorRow();
        // One and a half play intervals (at 1 event/s) later it has not moved.
        browser.driver.executeAsyncScript("setTimeout(arguments[arguments.length - 1], 1500)");
        assertEquals(paused, cursorRow(), "paused");
        assertTrue(paused < last, "paused before the end: " + paused);
        // Jump to a time: the first event at or after it. The SYN-ACK reaches the client at 0.1 s (RTT 100 ms).
        WebElement jump = browser.driver.findElement(By.id("jump"));
        jump.sendKeys("100ms", Keys.ENTER);
        browser.wait.until(d -> browser.driver.findElement(By.id("cursor-text")).getText().endsWith("at 0.100000 s"));
        @SuppressWarnings("unchecked")
        List<Number> around = (List<Number>) browser.js("const a = window.threeway, r = a.ladder.rowOf.get(a.cursor);"
                + " return [a.v.events[a.ladder.rows[r - 1]][0], a.v.events[a.cursor][0]];");
        assertTrue(around.get(0).doubleValue() < 100e6 && around.get(1).doubleValue() >= 100e6, "the first event at 0.1 s: " + around);
        jump.clear();
        jump.sendKeys("soon", Keys.ENTER);
        browser.wait.until(d -> d.findElement(By.id("banner")).getText().contains("'soon' is not a time"));
        browser.screenshot("stepped-played-jumped");
    }

    @Test
    void clickingTheSynAckShowsAckIsClientIsnPlusOneAndItsFourBytes() throws Exception {
        List<String> cli = cliLines(7);
        long clientIsn = Long.parseLong(field(cli.get(0), "seq"));
        openRun("?scenario=handshake&seed=7", 1);
        clickPacket(1);
        browser.wait.until(d -> "1".equals(browser.js("const l = document.querySelector('#inspector .line');"
                + " return l ? l.dataset.packet : null")));
        String text = text("#inspector .explain li[data-field='Acknowledgment Number']");
        assertTrue(text.contains("ack = " + (clientIsn + 1) + " = client's ISN " + clientIsn + " + 1"), text);
        @SuppressWarnings("unchecked")
        List<List<String>> lit = (List<List<String>>) browser.js("return [...document.querySelectorAll('#inspector .hex"
                + " span.b.hl')].map(b => [b.textContent, b.dataset.offset])");
        assertEquals(4, lit.size(), "four bytes highlighted");
        StringBuilder hex = new StringBuilder();
        for (List<String> b : lit) hex.append(b.get(0));
        assertEquals(String.format("%08x", clientIsn + 1), hex.toString(), "the highlighted bytes are the ack field");
        assertEquals("28", lit.get(0).get(1), "20 bytes of IPv4, then 8 into the TCP header");
        browser.screenshot("handshake-synack-inspector");
    }

    @Test
    void aSynCookieIsMarkedOnTheLadderAndDecodedInTheInspector() throws Exception {
        openRun("?scenario=backlog-overflow&clients=8&backlog=1&seed=1", 0);
        long cookie = (Long) browser.js("return window.threeway.v.cookies[0]");
        browser.js("window.threeway.selectPacket(arguments[0], true)", cookie);
        String tag = "#ladder [data-packet='" + cookie + "'] text.tag";
        browser.wait.until(d -> "SYN cookie".equals(text(tag)));
        browser.wait.until(d -> text("#inspector .explain").contains("Decoded with server's secrets"));
        String explain = text("#inspector .explain");
        assertTrue(explain.contains("MSS index") && explain.contains("hash check") && explain.contains("low six bits"),
                explain);
        browser.screenshot("syn-cookie-inspector");
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
        open("?scenario=window-scaling&bandwidth=100mbit&duration=5s&measure-from=1s");
        browser.wait.until(d -> text("#banner").contains("run too large to record: the run sent more than 30,000 packets"));
        assertTrue(text("#form-error").contains("run too large"), "said next to the form too: " + text("#form-error"));
        openRun("?scenario=handshake&seed=3", 2);
    }

    /** Whether the form's field {@code name} is disabled and marked refused, read in one go. */
    private String fieldState(String name) {
        return (String) browser.js("const i = document.getElementById('f-' + arguments[0]);"
                + " const box = document.querySelector(`[data-field='${arguments[0]}']`);"
                + " return i == null ? 'absent' : (i.disabled ? 'disabled' : 'enabled') + ' '"
                + " + (box.classList.contains('refused') ? 'refused' : 'plain') + ' '"
                + " + (box.querySelector('.refused-mark') ? 'marked' : 'unmarked');", name);
    }

    @Test
    void optionsAScenarioRefusesAreShownRefusedWithItsReason() throws Exception {
        Scenario synRetries = Scenarios.find("syn-retries").orElseThrow();
        open("?scenario=syn-retries");
        waitFor("#f-rtt");
        assertTrue(synRetries.refusedOptions().size() >= 8, synRetries.refusedOptions().toString());
        for (var e : synRetries.refusedOptions().entrySet()) {
            assertEquals("disabled refused marked", fieldState(e.getKey()), e.getKey());
            assertEquals("Refused by syn-retries: " + e.getValue() + ".", text("#h-" + e.getKey()), e.getKey());
            String title = browser.driver.findElement(By.id("f-" + e.getKey())).getAttribute("title");
            assertTrue(title.contains(e.getValue()), title);
        }
        assertEquals("enabled plain unmarked", fieldState("seed"), "the seed still draws the ISNs and ports");
        assertTrue(browser.driver.findElement(By.cssSelector("[data-field='rtt']")).getText().toLowerCase(Locale.ROOT).contains("refused"),
                "the mark is visible beside the label");
        browser.screenshot("refused-options");
        open("?scenario=handshake");
        browser.wait.until(d -> "enabled plain unmarked".equals(fieldState("rtt")));
        assertEquals("enabled plain unmarked", fieldState("loss"));
        open("?scenario=syn-retries&rtt=300ms");
        WebElement error = waitFor("[data-error-for='rtt']");
        browser.wait.until(d -> !error.getText().isEmpty());
        assertTrue(error.getText().contains("refuses it: " + synRetries.refusedOptions().get("rtt")), error.getText());
    }

    /** Makes docs/web-lab.png, the README's picture (run with -Dthreeway.docs=true). */
    @Test
    @EnabledIfSystemProperty(named = "threeway.docs", matches = "true")
    void theReadmePicture() throws Exception {
        openRun("?scenario=handshake&seed=7&rtt=100ms", 3);
        // The client's ACK of the SYN-ACK taken apart, the cursor where it turns the server ESTABLISHED.
        long established = (Long) browser.js("const v = window.threeway.v, j = v.transitions.findIndex(t => t.to"
                + " === 'ESTABLISHED' && v.endpoints[t.ep].host === 'server'); return v._trEvent[j];");
        browser.js("window.threeway.setCursor(arguments[0]); window.threeway.selectPacket(2, false);", established);
        browser.wait.until(d -> "ESTABLISHED".equals(browser.js("return document.querySelector(\".state-card"
                + "[data-host='server']\").dataset.state")));
        browser.wait.until(d -> text("#inspector .line").contains("Flags [.]"));
        Path shot = browser.screenshot("readme");
        Files.copy(shot, Path.of("..", "docs", "web-lab.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void windowScalingTimeSequenceSlopeIsTheReportedGoodput() throws Exception {
        openRun("?scenario=window-scaling&bandwidth=20mbit&queue=100000&duration=3s&measure-from=1s", 0);
        assertEquals("20mbit", browser.driver.findElement(By.id("f-bandwidth")).getAttribute("value"),
                "the form, built from the lab's catalogue, holds the link's bandwidth");
        new Select(browser.driver.findElement(By.id("variant"))).selectByValue("1");
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
        zoomPanHoverAndPick(drawn);
    }

    /** On the time-sequence plot: the wheel zooms time, a drag pans, double-click resets, hover and click pick. */
    private void zoomPanHoverAndPick(int allDrawn) throws Exception {
        WebElement plot = browser.driver.findElement(By.cssSelector("[data-plot='time-sequence'] svg"));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", plot);
        String view = "const c = window.threeway.plots.charts[0]; return [c.view.x0, c.view.x1, c.full.x0, c.full.x1];";
        @SuppressWarnings("unchecked")
        List<Number> before = (List<Number>) browser.js(view);
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(plot), 0, -100).perform();
        browser.wait.until(d -> span(view) < 0.9 * (before.get(1).doubleValue() - before.get(0).doubleValue()));
        browser.wait.until(d -> segmentsDrawn() < allDrawn);
        @SuppressWarnings("unchecked")
        List<Number> zoomed = (List<Number>) browser.js(view);
        new Actions(browser.driver).moveToElement(plot).clickAndHold().moveByOffset(-120, 0).release().perform();
        @SuppressWarnings("unchecked")
        List<Number> panned = (List<Number>) browser.js(view);
        assertTrue(panned.get(0).doubleValue() > zoomed.get(0).doubleValue(), "dragging left moves later in time: " + zoomed + " " + panned);
        assertEquals(span(view), zoomed.get(1).doubleValue() - zoomed.get(0).doubleValue(), 1e-9, "a pan keeps the zoom");
        // Hover shows the nearest segment's tcpdump line; a click moves the cursor to that packet's send.
        new Actions(browser.driver).moveToElement(plot, 40, 0).perform();
        browser.wait.until(d -> text("[data-plot='time-sequence'] .tip").contains(" > "));
        long cursorBefore = cursor();
        new Actions(browser.driver).click().perform();
        browser.wait.until(d -> cursor() != cursorBefore);
        long picked = (Long) browser.js("return window.threeway.packet");
        assertEquals(cursor(), (Long) browser.js("return window.threeway.v._send[arguments[0]]", picked),
                "the cursor is at the picked packet's send");
        browser.screenshot("window-scaling-zoomed");
        double full = before.get(3).doubleValue() - before.get(2).doubleValue();
        new Actions(browser.driver).moveToElement(plot, 0, 20).doubleClick().perform();
        browser.wait.until(d -> Math.abs(span(view) - full) < 1e-9);
        browser.wait.until(d -> segmentsDrawn() == allDrawn);
        // The wheel again, and the "reset zoom" button.
        new Actions(browser.driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(plot), 0, -100).perform();
        browser.wait.until(d -> span(view) < 0.9 * full);
        browser.driver.findElement(By.cssSelector("[data-plot='time-sequence'] h3 button")).click();
        browser.wait.until(d -> Math.abs(span(view) - full) < 1e-9);
    }

    private double span(String view) {
        @SuppressWarnings("unchecked")
        List<Number> v = (List<Number>) browser.js(view);
        return v.get(1).doubleValue() - v.get(0).doubleValue();
    }

    private int segmentsDrawn() {
        return Integer.parseInt((String) browser.js("return document.querySelector(\"[data-plot='time-sequence']"
                + " path[data-layer='segments']\").dataset.count"));
    }

    @Test
    void aPcapWrittenByTheRealTcpdumpOpens(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pcap = RealCapture.make(dir);
        open("");
        waitFor("#f-scenario option");
        browser.driver.findElement(By.id("pcap-file")).sendKeys(pcap.toString());
        browser.wait.until(d -> !label(2).isEmpty());
        String[] flags = {"S", "S.", "."};
        for (int i = 0; i < 3; i++) assertEquals(flags[i], flags(i), "packet " + i);
        String hosts = text("#ladder svg");
        assertTrue(hosts.contains("127.0.0.1:8765"), "the server's end is a column: " + hosts);
        clickPacket(1);
        browser.wait.until(d -> text("#inspector .explain li[data-field='Acknowledgment Number']").contains("ISN"));
        browser.screenshot("real-tcpdump-pcap");
    }

    @Test
    void aHundredThousandSegmentsDrawWithoutFreezing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path pcap = SyntheticCapture.write(dir.resolve("large.pcap"), 100_000);
        open("");
        waitFor("#f-scenario option");
        browser.driver.findElement(By.id("pcap-file")).sendKeys(pcap.toString());
        browser.wait.until(d -> text("#run-title").contains("large.pcap") && !label(0).isEmpty());
        System.out.println("large capture: " + browser.js("return JSON.stringify(window.threeway.timings)"));
        assertEquals(100_000L, browser.js("return window.threeway.v.packets.length"), "every segment is in the model");
        assertEquals(1L, browser.js("return window.threeway.v._lines.size"), "only the first chunk of tcpdump lines");
        long drawn = (Long) browser.js("return document.querySelectorAll('#ladder [data-packet]').length");
        assertTrue(drawn > 10 && drawn < 500, "only the rows in view are drawn: " + drawn);
        keys(Keys.END);
        browser.wait.until(d -> "99999".equals(browser.js("return document.body.dataset.cursor")));
        // The last rows' labels arrive as their chunk of lines is fetched.
        browser.wait.until(d -> label(99_999).contains("seq"));
        assertTrue((Long) browser.js("return window.threeway.v._lines.size") <= 3, "the lines near the end, not all");
        // The tcpdump tab shows the lines around the cursor: here, the last packet's.
        browser.driver.findElement(By.id("tab-tcpdump")).click();
        browser.wait.until(d -> text("#pane-tcpdump pre.tcpdump").contains("seq 66664001:66665001, ack 1, win 65535, length 1000"));
        assertTrue(!text("#pane-tcpdump pre.tcpdump").contains("Flags [S]"), "not the lines from the start");
        browser.driver.findElement(By.id("tab-plots")).click();
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
        openRun("?scenario=handshake&seed=7", 0);
        keys(Keys.END);
        browser.driver.findElement(By.id("tab-tools")).click();
        browser.wait.until(d -> ss.equals(text("#pane-tools [data-host='client'] pre.ss")));
        String shown = text("#pane-tools [data-host='client'] pre.nstat").replaceAll(" {3}\\(\\+\\d+\\)", "").strip();
        assertEquals(nstat, shown);
        // Stepping back to the first event shows the socket table of that moment: the client in SYN-SENT.
        keys(Keys.HOME);
        browser.wait.until(d -> text("#pane-tools [data-host='client'] pre.ss").contains("SYN-SENT"));
        browser.screenshot("tools-at-cursor");
    }

    @Test
    void twoRunsCompareSideBySideAndRunsExport() throws Exception {
        openRun("?scenario=handshake&seed=7&rtt=50ms", 0);
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
