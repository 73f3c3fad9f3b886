package io.threeway.tools;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format 0.0.4, for tests only. The Prometheus Java client
 * (io.prometheus:prometheus-metrics-exposition-textformats 1.3.x) only writes the format; no well-kept Java
 * parser is on Maven Central, so this one follows the format's specification and rejects what Prometheus
 * would: metric and label names outside their grammar, bad escapes, unparsable values, a TYPE after samples
 * of its metric, two TYPE or HELP lines for one metric, types outside the five, duplicate series, a missing
 * final line break.
 */
final class PrometheusTextParser {
    private PrometheusTextParser() {}

    record Sample(String series, double value, String type) {}

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})?"
                    + " ([^ ]+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    static Map<String, Sample> parse(String text) {
        if (!text.endsWith("\n")) throw new IllegalArgumentException("the exposition must end with a line break");
        Map<String, String> types = new HashMap<>();
        Map<String, Boolean> helped = new HashMap<>();
        Map<String, Boolean> seen = new HashMap<>();
        Map<String, Sample> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] f = line.split(" ", 4);
                if (f.length >= 3 && (f[1].equals("TYPE") || f[1].equals("HELP"))) {
                    if (!NAME.matcher(f[2]).matches()) throw new IllegalArgumentException(n + ": bad metric name " + f[2]);
                    if (f[1].equals("TYPE")) {
                        if (f.length != 4 || !f[3].matches("counter|gauge|histogram|summary|untyped")) {
                            throw new IllegalArgumentException(n + ": bad TYPE line: " + line);
                        }
                        if (types.put(f[2], f[3]) != null) throw new IllegalArgumentException(n + ": second TYPE for " + f[2]);
                        if (seen.containsKey(f[2])) throw new IllegalArgumentException(n + ": TYPE after samples of " + f[2]);
                    } else if (helped.put(f[2], true) != null) {
                        throw new IllegalArgumentException(n + ": second HELP for " + f[2]);
                    }
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new IllegalArgumentException(n + ": not a sample: " + line);
            String name = m.group(1);
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) { /* the grammar above already checked every label */ }
            }
            double value;
            try {
                value = switch (m.group(4)) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(m.group(4));
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(n + ": bad value " + m.group(4));
            }
            seen.put(name, true);
            String series = name + (m.group(2) == null ? "" : m.group(2));
            if (out.put(series, new Sample(series, value, types.getOrDefault(name, "untyped"))) != null) {
                throw new IllegalArgumentException(n + ": duplicate series " + series);
            }
        }
        return out;
    }
}
