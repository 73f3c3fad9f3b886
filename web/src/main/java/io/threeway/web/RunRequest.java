package io.threeway.web;

import io.threeway.lab.LabOption;
import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Scenarios;
import io.threeway.lab.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * A run as the page (or a link) asks for it: {@code scenario=NAME} and the fields of the lab's option
 * catalogue ({@link LabOptions#fields}) by name, {@code sysctl} repeated, checked by the catalogue exactly as
 * the command line checks them, each problem named by its field. The fields that write or read files on the
 * server ({@code pcap}, {@code sysctl-file}) are not offered to a page; {@code json} is implied (the findings).
 *
 * @param scenario the scenario
 * @param options  the options for its run
 * @param query    the request in the catalogue's order, for the page's URL
 */
record RunRequest(Scenario scenario, ScenarioOptions options, Map<String, String> query) {
    /** Query keys that are not fields of the catalogue. */
    static final List<String> NOT_FIELDS = List.of("scenario", "live");

    /** Reads a request; BadRequestException lists every field that is wrong. */
    static RunRequest parse(Map<String, List<String>> q) {
        String name = first(q, "scenario", "").strip();
        Scenario s = Scenarios.find(name).orElse(null);
        if (s == null) {
            String why = name.isEmpty() ? "choose a scenario" : "unknown scenario '" + name + "'";
            throw new BadRequestException(why + ": the scenarios are "
                    + String.join(", ", Scenarios.all().stream().map(Scenario::name).toList()), Map.of("scenario", why));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, String> canonical = new LinkedHashMap<>();
        canonical.put("scenario", s.name());
        for (var e : q.entrySet()) {
            if (NOT_FIELDS.contains(e.getKey())) continue;
            List<String> given = e.getValue().stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
            if (given.isEmpty()) continue;
            LabOption o = LabOptions.field(s, e.getKey());
            if (o != null && (o.type().kind() == ValueType.Kind.FILE || o.name().equals(LabOptions.JSON.name()))) {
                errors.put(e.getKey(), "not offered in the web lab (it would write or read files on the server)");
                continue;
            }
            values.put(e.getKey(), given);
        }
        ScenarioOptions options = null;
        try {
            options = LabOptions.build(s, values).withJson(true);
        } catch (OptionException.OptionsException e) {
            for (OptionException x : e.errors()) errors.putIfAbsent(x.field(), x.reason());
        }
        if (!errors.isEmpty()) throw new BadRequestException("the run's options are not valid", errors);
        for (LabOption o : LabOptions.fields(s)) {
            List<String> v = values.get(o.name());
            if (v != null) canonical.put(o.name(), String.join("\n", v));
        }
        return new RunRequest(s, options, canonical);
    }

    /**
     * The form of every scenario: its fields as the catalogue gives them, less those a page may not set; a field the
     * scenario refuses carries its reason ({@code refused}, else null), so the page shows it refused, not as a field to fill.
     */
    static List<Object> fields(Scenario s) {
        List<Object> out = new ArrayList<>();
        for (LabOption o : LabOptions.fields(s)) {
            if (o.type().kind() == ValueType.Kind.FILE || o.name().equals(LabOptions.JSON.name())) continue;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", o.name());
            f.put("kind", o.type().kind().name().toLowerCase(Locale.ROOT));
            f.put("label", o.type().label());
            f.put("default", o.defaultValue() == null ? "" : o.defaultValue());
            f.put("help", o.help());
            f.put("repeatable", o.repeatable());
            f.put("common", o.common());
            f.put("choices", o.type().choices());
            f.put("refused", LabOptions.refusal(s, o.name()));
            out.add(f);
        }
        return out;
    }

    static String first(Map<String, List<String>> q, String key, String dflt) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }
}
