package io.threeway.lab;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scenario's results, read from its run: named figures grouped by variant, printed as the text summary
 * or as JSON from the same data, so the two can never disagree and no figure is typed in by hand.
 *
 * <p>The JSON follows the lab's one report schema ({@link LabJson#SCHEMA}): {@code scenario}, {@code options},
 * {@code story}, {@code results} (each a {@code variant} and its {@code figures} by key), {@code conclusions}.
 * A figure's key is its label in snake case ({@code "connect() failed at"} → {@code connect_failed_at}); every
 * duration is in seconds whatever unit the text uses; a list of numbers is a JSON array.
 */
public final class Findings {
    private final String scenario;
    private final List<String> story = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<String> conclusions = new ArrayList<>();

    /** One figure: its label, value (a number, string, boolean, list of numbers or null) and units. */
    private record Figure(String label, Object value, String textUnit, Object jsonValue, String jsonUnit) {}

    /** One variant's figures. */
    public static final class Group {
        private final String name;
        private final List<Figure> figures = new ArrayList<>();

        private Group(String name) { this.name = name; }

        /** A figure: a number, a string or a boolean, with its unit ("" for none). */
        public Group put(String label, Object value, String unit) {
            figures.add(new Figure(label, value, unit, value, unit));
            return this;
        }

        public Group put(String label, Object value) { return put(label, value, ""); }

        /** A duration in nanoseconds, shown in seconds (to the millisecond); null when negative (did not happen). */
        public Group seconds(String label, long nanos) {
            Double s = nanos < 0 ? null : Math.round(nanos / 1e6) / 1e3;
            figures.add(new Figure(label, s, "s", s, "s"));
            return this;
        }

        /** A duration in nanoseconds, shown in milliseconds (to the microsecond); JSON gives it in seconds. */
        public Group millis(String label, double nanos) {
            double ms = Math.round(nanos / 1e3) / 1e3;
            figures.add(new Figure(label, ms, "ms", Math.round(nanos / 1e3) / 1e6, "s"));
            return this;
        }

        /** As {@link #millis}, or "-" (JSON null) when {@code nanos} is negative: the event never happened. */
        public Group millisOrNever(String label, long nanos) {
            if (nanos >= 0) return millis(label, nanos);
            figures.add(new Figure(label, null, "ms", null, "s"));
            return this;
        }

        /** Durations in nanoseconds, shown in seconds to the tenth as a comma-separated list; a JSON array of seconds. */
        public Group secondsList(String label, List<Long> nanos) {
            return secondsList(label, nanos, 1);
        }

        /** As {@link #secondsList(String, List)} with {@code decimals} in the text. */
        public Group secondsList(String label, List<Long> nanos, int decimals) {
            List<String> text = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (long n : nanos) {
                text.add(String.format(Locale.ROOT, "%." + decimals + "f", n / 1e9));
                values.add(Math.round(n / 1e6) / 1e3);
            }
            figures.add(new Figure(label, text.isEmpty() ? "none" : String.join(", ", text), text.isEmpty() ? "" : "s",
                    values, "s"));
            return this;
        }
    }

    public Findings(String scenario) {
        this.scenario = scenario;
    }

    /** A line of the text report's narrative, before the figures. */
    public Findings say(String line) {
        story.add(line);
        return this;
    }

    public Group group(String name) {
        Group g = new Group(name);
        groups.add(g);
        return g;
    }

    /** A closing sentence built from figures of the run. */
    public Findings conclude(String line) {
        conclusions.add(line);
        return this;
    }

    /** The value of a figure as the text shows it, for tests: {@code group/label}. */
    public Object get(String group, String label) {
        for (Group g : groups) {
            if (!g.name.equals(group)) continue;
            for (Figure f : g.figures) if (f.label.equals(label)) return f.value;
        }
        throw new IllegalArgumentException("no figure " + group + "/" + label);
    }

    public double number(String group, String label) {
        return ((Number) get(group, label)).doubleValue();
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        for (String s : story) b.append(s).append('\n');
        if (!story.isEmpty()) b.append('\n');
        for (Group g : groups) {
            b.append(g.name).append(":\n");
            int w = 0;
            for (Figure f : g.figures) w = Math.max(w, f.label.length());
            for (Figure f : g.figures) {
                b.append("  ").append(String.format(Locale.ROOT, "%-" + (w + 1) + "s", f.label + ":"))
                        .append(' ').append(show(f.value));
                if (!f.textUnit.isEmpty() && f.value != null) b.append(' ').append(f.textUnit);
                b.append('\n');
            }
        }
        if (!conclusions.isEmpty()) b.append('\n');
        for (String s : conclusions) b.append(s).append('\n');
        return b.toString();
    }

    /** The report as one JSON document of the lab's schema, with the options of the run. */
    public String json(ScenarioOptions options) {
        return LabJson.write(tree(options));
    }

    /** The report as a JSON tree, for scenarios that add sections of their own (a trace). */
    public ObjectNode tree(ScenarioOptions options) {
        ObjectNode root = LabJson.report(scenario, options);
        ArrayNode storyNode = root.putArray("story");
        story.forEach(storyNode::add);
        ArrayNode results = root.putArray("results");
        for (Group g : groups) {
            ObjectNode r = results.addObject();
            r.put("variant", g.name);
            ObjectNode figures = r.putObject("figures");
            for (Figure f : g.figures) {
                String key = LabJson.key(f.label);
                for (int i = 2; figures.has(key); i++) key = LabJson.key(f.label) + "_" + i;
                ObjectNode fig = figures.putObject(key);
                fig.put("label", f.label);
                LabJson.putValue(fig, "value", f.jsonValue);
                fig.put("unit", f.jsonUnit);
            }
        }
        ArrayNode concl = root.putArray("conclusions");
        conclusions.forEach(concl::add);
        return root;
    }

    /** Prints the report as the options ask: JSON or text. */
    public void print(ScenarioOptions options, PrintStream out) {
        out.print(options.json() ? json(options) : text());
    }

    private static String show(Object v) {
        if (v == null) return "-";
        if (v instanceof Double d) return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                : String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "");
        return v.toString();
    }
}
