package io.threeway.lab;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lab's JSON, written with Jackson: one mapper, and the parts every report shares. Every scenario's
 * {@code --json} is one document of the schema {@link #SCHEMA} (a JSON Schema, draft 2020-12, kept beside this
 * class and checked in tests): keys in snake case, durations in seconds ({@code _s}), rates in bits a second.
 */
public final class LabJson {
    private LabJson() {}

    /** The report schema's resource path and {@code $id}. */
    public static final String SCHEMA = "/io/threeway/lab/lab-report.schema.json";

    /** The one mapper of the lab's JSON. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A report's root: {@code scenario} and {@code options}; the caller adds its results. */
    public static ObjectNode report(String scenario, ScenarioOptions o) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("scenario", scenario);
        root.set("options", options(o));
        return root;
    }

    /** The options of a run as the report records them. */
    public static ObjectNode options(ScenarioOptions o) {
        ObjectNode n = MAPPER.createObjectNode();
        LinkOptions l = o.link();
        n.put("rtt_s", l.rtt().toNanos() / 1e9);
        n.put("loss", l.loss());
        n.put("jitter_s", l.jitter().toNanos() / 1e9);
        n.put("reorder", l.reorder());
        n.put("duplicate", l.duplicate());
        n.put("bandwidth_bps", l.bandwidth());
        n.put("queue_packets", l.queue());
        n.put("mtu", l.mtu());
        n.put("ipv6", o.ipv6());
        n.put("seed", o.seed());
        ObjectNode s = n.putObject("sysctls");
        changedSettings(o.sysctls()).forEach(s::put);
        ObjectNode p = n.putObject("params");
        new TreeMap<>(o.params()).forEach(p::put);
        return n;
    }

    /** The settings that differ from Linux's defaults, by name, as sysctl prints their values. */
    static Map<String, String> changedSettings(Sysctls s) {
        Sysctls defaults = new Sysctls();
        Map<String, String> out = new TreeMap<>();
        for (Sysctl x : Sysctl.values()) {
            String line = s.line(x);
            if (!line.equals(defaults.line(x))) out.put(x.sysctlName(), line.substring(line.indexOf(" = ") + 3));
        }
        return out;
    }

    /** A label in snake case: {@code "connect() failed at"} → {@code connect_failed_at}, {@code "TWRecycled"} → {@code twrecycled}. */
    public static String key(String label) {
        String k = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return k.isEmpty() ? "value" : Character.isDigit(k.charAt(0)) ? "n" + k : k;
    }

    /** Puts a figure's value: a number, string, boolean, list of numbers, or null. */
    static void putValue(ObjectNode n, String field, Object v) {
        switch (v) {
            case null -> n.putNull(field);
            case Integer i -> n.put(field, i);
            case Long l -> n.put(field, l);
            case Double d -> n.put(field, d);
            case Float f -> n.put(field, f.doubleValue());
            case Boolean b -> n.put(field, b);
            case List<?> list -> {
                ArrayNode a = n.putArray(field);
                for (Object x : list) a.add(((Number) x).doubleValue());
            }
            default -> n.put(field, v.toString());
        }
    }

    /** One line of compact JSON and a line break. */
    public static String write(ObjectNode root) {
        return MAPPER.writeValueAsString(root) + "\n";
    }
}
