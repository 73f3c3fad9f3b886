package io.threeway.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The scenarios on the class path (see {@link Scenario} for how to add one). */
public final class Scenarios {
    private Scenarios() {}

    /** Every scenario, sorted by name. Throws IllegalStateException if two share a name. */
    public static List<Scenario> all() {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : ServiceLoader.load(Scenario.class, Scenarios.class.getClassLoader())) out.add(s);
        out.sort(Comparator.comparing(Scenario::name));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).name().equals(out.get(i - 1).name())) {
                throw new IllegalStateException("two scenarios are named '" + out.get(i).name() + "': "
                        + out.get(i - 1).getClass().getName() + " and " + out.get(i).getClass().getName());
            }
        }
        return out;
    }

    public static Optional<Scenario> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
