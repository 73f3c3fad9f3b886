package io.threeway.web;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, started so that it never tries
 * the outside network, in a fresh profile. Records every URL the page requests (Chromium's performance log)
 * so tests can check that nothing leaves 127.0.0.1. Missing Chromium skips a test, except under CI=true,
 * where it fails.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go (CI keeps target/ as artifacts). */
    static final Path SHOTS = Path.of("target", "screenshots");

    /** The browser. */
    public final ChromeDriver driver;
    /** Waits up to two minutes for a state (under load; a wait ends as soon as its state holds). */
    public final WebDriverWait wait;
    private final Path profile;
    private final List<String> requested = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(120));
    }

    /** Chromium, or a skip (a failure under CI) saying what is missing. */
    public static Browser open() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI needs Debian's chromium and chromium-driver for the web lab's browser tests (.ci/run installs them)");
        }
        assumeTrue(present, "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        Path profile = Files.createTempDirectory("threeway-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1500,1250", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, o), profile);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves a screenshot as target/screenshots/NAME.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        Path to = SHOTS.resolve(name + ".png");
        Files.write(to, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return to;
    }

    /** Every URL the page has requested so far (documents, scripts, fetches, images...). */
    List<String> requestedUrls() {
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode m = Json.MAPPER.readTree(e.getMessage()).path("message");
            String method = m.path("method").asString("");
            if (method.equals("Network.requestWillBeSent")) requested.add(m.path("params").path("request").path("url").asString(""));
        }
        return List.copyOf(requested);
    }

    /**
     * The network requests that went anywhere but 127.0.0.1: every URL whose scheme reaches a network (http,
     * https, ws, wss, ftp) must name 127.0.0.1. Chromium's own pages ({@code chrome://}, its new-tab page) and
     * {@code data:}/{@code blob:} URLs do not leave the browser.
     */
    public List<String> outsideRequests() {
        List<String> out = new ArrayList<>();
        for (String u : requestedUrls()) {
            String scheme = u.contains(":") ? u.substring(0, u.indexOf(':')).toLowerCase(java.util.Locale.ROOT) : "";
            if (!List.of("http", "https", "ws", "wss", "ftp").contains(scheme)) continue;
            URI uri = URI.create(u);
            if (!"127.0.0.1".equals(uri.getHost())) out.add(u);
        }
        return out;
    }

    /** The network requests (http and the like) seen so far. */
    List<String> networkRequests() {
        return requestedUrls().stream().filter(u -> u.startsWith("http") || u.startsWith("ws")).toList();
    }

    static Map<String, Object> none() { return Map.of(); }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
