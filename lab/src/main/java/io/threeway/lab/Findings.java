package io.threeway.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.io.PrintStream;

/**
 * A scenario's results, read from its run: named figures grouped by variant, printed as the text summary
 * or as JSON from the same data, so the two can never disagree and no figure is typed in by hand.
 */
public final class Findings {
    private final String scenario;
    private final List<String> story = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<String> conclusions = new ArrayList<>();

    /** One variant's figures. */
    public static final class Group {
        private final String name;
        private final List<Object[]> figures = new ArrayList<>();

        private Group(String name) { this.name = name; }

        /** A figure: a number, a string or a boolean, with its unit ("" for none). */
        public Group put(String label, Object value, String unit) {
            figures.add(new Object[] {label, value, unit});
            return this;
        }

        public Group put(String label, Object value) { return put(label, value, ""); }

        /** A duration in nanoseconds, shown in seconds. */
        public Group seconds(String label, long nanos) {
            return put(label, nanos < 0 ? null : Math.round(nanos / 1e6) / 1e3, "s");
        }

        public Group millis(String label, double nanos) {
            return put(label, Math.round(nanos / 1e3) / 1e3, "ms");
        }
    }

    public Findings(String scenario) {
        this.scenario = scenario;
    }

    /** A line of the text report's narrative, before the figures (text only). */
    public Findings say(String line) {
        story.add(line);
        return this;
    }

    public Group group(String name) {
        Group g = new Group(name);
        groups.add(g);
        return g;
    }

    /** A closing sentence built from figures of the run (text only). */
    public Findings conclude(String line) {
        conclusions.add(line);
        return this;
    }

    /** The value of a figure, for tests: {@code group/label}. */
    public Object get(String group, String label) {
        for (Group g : groups) {
            if (!g.name.equals(group)) continue;
            for (Object[] f : g.figures) if (f[0].equals(label)) return f[1];
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
            for (Object[] f : g.figures) w = Math.max(w, ((String) f[0]).length());
            for (Object[] f : g.figures) {
                b.append("  ").append(String.format(Locale.ROOT, "%-" + (w + 1) + "s", f[0] + ":"))
                        .append(' ').append(show(f[1]));
                if (!((String) f[2]).isEmpty() && f[1] != null) b.append(' ').append(f[2]);
                b.append('\n');
            }
        }
        if (!conclusions.isEmpty()) b.append('\n');
        for (String s : conclusions) b.append(s).append('\n');
        return b.toString();
    }

    public String json() {
        StringBuilder b = new StringBuilder();
        b.append("{\"scenario\":").append(quote(scenario)).append(",\"results\":[");
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            if (i > 0) b.append(',');
            b.append("{\"variant\":").append(quote(g.name)).append(",\"figures\":{");
            for (int j = 0; j < g.figures.size(); j++) {
                Object[] f = g.figures.get(j);
                if (j > 0) b.append(',');
                b.append(quote((String) f[0])).append(":{\"value\":").append(jsonValue(f[1]))
                        .append(",\"unit\":").append(quote((String) f[2])).append('}');
            }
            b.append("}}");
        }
        return b.append("]}\n").toString();
    }

    /** Prints the report as the options ask: JSON or text. */
    public void print(ScenarioOptions options, PrintStream out) {
        out.print(options.json() ? json() : text());
    }

    private static String show(Object v) {
        if (v == null) return "-";
        if (v instanceof Double d) return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                : String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "");
        return v.toString();
    }

    private static String jsonValue(Object v) {
        if (v == null) return "null";
        if (v instanceof Number || v instanceof Boolean) return show(v);
        return quote(v.toString());
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
