package io.threeway.web;

import io.threeway.lab.Durations;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Scenarios;
import io.threeway.settings.Sysctls;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A run as the page (or a link) asks for it: {@code scenario}, {@code seed}, {@code rtt}, {@code loss},
 * {@code sysctl=NAME=VALUE} (repeated) and the scenario's own parameters by name, checked as the command
 * line checks them, each problem named by its field.
 *
 * <p>Interim: until the lab's option catalogue lands (see NOTES.md), the common options are parsed here with
 * the lab's own parsers ({@link Durations}, {@link Sysctls#assign}); the scenario's parameters are checked by
 * the scenario itself when it runs, and its "--NAME: ..." messages are put next to the field NAME.
 *
 * @param scenario the scenario
 * @param options  the options for its run
 * @param query    the request in canonical order, for the page's URL
 */
record RunRequest(Scenario scenario, ScenarioOptions options, Map<String, String> query) {
    /** The common fields, beside the scenario's own parameters. */
    static final Set<String> COMMON = Set.of("scenario", "seed", "rtt", "loss", "sysctl", "variant");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(?:\\.\\d*)?|\\.\\d+)");

    /** Reads a request; BadRequestException lists every field that is wrong. */
    static RunRequest parse(Map<String, List<String>> q) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = first(q, "scenario", "");
        Scenario s = Scenarios.find(name).orElse(null);
        if (s == null) {
            throw new BadRequestException(name.isEmpty() ? "choose a scenario" : "unknown scenario '" + name
                    + "': the scenarios are " + String.join(", ", Scenarios.all().stream().map(Scenario::name).toList()),
                    Map.of("scenario", name.isEmpty() ? "choose a scenario" : "unknown scenario"));
        }
        Map<String, String> canonical = new LinkedHashMap<>();
        canonical.put("scenario", s.name());
        long seed = parseSeed(first(q, "seed", "1"), errors);
        canonical.put("seed", first(q, "seed", "1").strip());
        Duration rtt = parseRtt(first(q, "rtt", "100ms"), errors);
        canonical.put("rtt", first(q, "rtt", "100ms").strip());
        double loss = parseLoss(first(q, "loss", "0"), errors);
        canonical.put("loss", first(q, "loss", "0").strip());
        Sysctls sysctls = new Sysctls();
        List<String> assignments = q.getOrDefault("sysctl", List.of()).stream().map(String::strip)
                .filter(a -> !a.isEmpty()).toList();
        for (String a : assignments) {
            try {
                sysctls.assign(a);
            } catch (IllegalArgumentException e) {
                errors.putIfAbsent("sysctl", a + ": " + e.getMessage());
            }
        }
        if (!assignments.isEmpty()) canonical.put("sysctl", String.join("\n", assignments));
        Map<String, String> params = params(s, q, errors, canonical);
        if (!errors.isEmpty()) throw new BadRequestException("the run's options are not valid", errors);
        ScenarioOptions o = new ScenarioOptions(rtt, loss, seed, null, true, sysctls, params, null, null);
        return new RunRequest(s, o, canonical);
    }

    private static Map<String, String> params(Scenario s, Map<String, List<String>> q, Map<String, String> errors,
                                              Map<String, String> canonical) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : q.keySet()) {
            if (COMMON.contains(key)) continue;
            boolean known = s.parameters().stream().anyMatch(p -> p.name().equals(key));
            if (!known) errors.put(key, "not an option of " + s.name());
        }
        for (ScenarioParameter p : s.parameters()) {
            String v = first(q, p.name(), "").strip();
            if (v.isEmpty()) continue;
            params.put(p.name(), v);
            canonical.put(p.name(), v);
        }
        return params;
    }

    private static long parseSeed(String v, Map<String, String> errors) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            errors.put("seed", "'" + v + "' is not a whole number");
            return 0;
        }
    }

    private static Duration parseRtt(String v, Map<String, String> errors) {
        try {
            Duration d = Durations.parse(v.strip());
            if (d.isNegative()) throw new IllegalArgumentException("'" + v + "' is negative");
            return d;
        } catch (IllegalArgumentException e) {
            errors.put("rtt", e.getMessage());
            return Duration.ZERO;
        }
    }

    /** A fraction from 0 to 1 or a percentage, as the command line's {@code --loss}. */
    private static double parseLoss(String v, Map<String, String> errors) {
        String t = v.strip();
        boolean percent = t.endsWith("%");
        String number = percent ? t.substring(0, t.length() - 1).strip() : t;
        if (!NUMBER.matcher(number).matches()) {
            errors.put("loss", "'" + t + "' is not a loss rate: write a fraction from 0 to 1, e.g. 0.1, or a"
                    + " percentage, e.g. 10%");
            return 0;
        }
        double d = Double.parseDouble(number) / (percent ? 100 : 1);
        if (!(d >= 0 && d <= 1)) {
            errors.put("loss", "'" + t + "' is out of range: a loss rate is from 0 to 1 (0% to 100%)");
            return 0;
        }
        return d;
    }

    static String first(Map<String, List<String>> q, String key, String dflt) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }
}
