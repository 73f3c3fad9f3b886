package io.threeway.lab.file;

import io.threeway.lab.Durations;
import io.threeway.lab.LabOption;
import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException;
import io.threeway.lab.SettingsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scenario of the user's own, read from a YAML file (the format: docs/SCENARIO-FILES.md): hosts with their
 * settings, links between them with the lab's impairments, and applications from a small vocabulary
 * ({@link AppKind}). Every value is checked here, before the run; a problem is a {@link FileError} with its line.
 *
 * @param source      the file's name, for messages
 * @param name        the scenario's name in reports (the file's {@code name:}, else made from the file's name)
 * @param description the file's {@code description:}, or ""
 * @param duration    how long the run lasts, in nanoseconds of virtual time
 * @param capture     the host whose packets {@code --pcap} writes
 * @param hosts       the hosts, in file order
 * @param links       the links, in file order
 * @param apps        the applications, in file order
 */
public record ScenarioFile(String source, String name, String description, long duration, String capture, List<HostSpec> hosts,
                           List<LinkSpec> links, List<AppSpec> apps) {

    /** The top-level keys. */
    static final Set<String> TOP = Set.of("name", "description", "duration", "capture", "hosts", "links", "apps");
    /** A run's length when the file gives none. */
    static final String DEFAULT_DURATION = "10s";
    /** The link fields: the lab's path options, as the command line names them. */
    static final List<LabOption> LINK_FIELDS = List.of(LabOptions.RTT, LabOptions.LOSS, LabOptions.JITTER,
            LabOptions.REORDER, LabOptions.DUPLICATE, LabOptions.BANDWIDTH, LabOptions.QUEUE, LabOptions.MTU);

    /**
     * One host.
     *
     * @param name    its name (lower case, digits and dashes)
     * @param sysctls its own settings, {@code name=value}, applied after the command line's {@code --sysctl}
     * @param crashAt when it crashes and comes straight back with no connections (its peers then get resets), or -1
     */
    public record HostSpec(String name, List<String> sysctls, long crashAt) {}

    /**
     * One link: two hosts, an address each, and the path's fields the file sets (parsed, by option name).
     *
     * @param line the line the link starts on, for messages at run time
     */
    public record LinkSpec(String a, String aAddress, String b, String bAddress, Map<String, Object> fields, int line) {}

    /**
     * One application.
     *
     * @param kind   what it is
     * @param host   the host it runs on
     * @param values its fields, parsed, defaults filled in (null where a field has no default and was not given)
     * @param to     for a client, the server's host name or address as written before the port, else null
     * @param port   for a client, the server's port, else the port it listens on
     */
    public record AppSpec(AppKind kind, String host, Map<String, Object> values, String to, int port) {
        /** How reports name it: {@code client: http-client}. */
        public String label() { return host + ": " + kind.word(); }
    }

    /** Reads and checks the file at {@code path}. */
    public static ScenarioFile load(Path path) throws IOException {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new FileError(path.toString(), 0, "", "no such file");
        }
        return parse(path.getFileName().toString(), text);
    }

    /** Reads and checks {@code text}, the contents of the file named {@code file}. */
    public static ScenarioFile parse(String file, String text) {
        YamlNode root = YamlReader.read(file, text);
        root.entries("a scenario");
        root.onlyKeys(TOP);
        String name = root.get("name") == null ? nameFrom(file) : checkName(root.get("name"));
        String description = root.get("description") == null ? "" : root.get("description").scalar("a sentence");
        long duration = root.get("duration") == null ? Durations.parse(DEFAULT_DURATION).toNanos()
                : duration(root.get("duration"));
        if (duration <= 0) throw root.get("duration").error("the run must last longer than 0s");
        List<HostSpec> hosts = new ArrayList<>();
        for (var e : root.require("hosts", "the hosts by name, e.g. 'client:' and 'server:'").entries("the hosts by name").entrySet()) {
            hosts.add(FileParts.host(e.getKey(), e.getValue()));
        }
        if (hosts.isEmpty()) throw root.get("hosts").error("no hosts: name at least two");
        Map<String, HostSpec> byName = new LinkedHashMap<>();
        for (HostSpec h : hosts) byName.put(h.name(), h);
        List<LinkSpec> links = new ArrayList<>();
        for (YamlNode l : root.require("links", "the links between hosts").items("the links")) links.add(FileParts.link(l, byName.keySet()));
        FileParts.checkSubnets(links, root.get("links"));
        List<AppSpec> apps = new ArrayList<>();
        YamlNode appsNode = root.get("apps");
        if (appsNode != null) for (YamlNode a : appsNode.items("the applications")) apps.add(FileParts.app(a, byName.keySet(), links));
        String capture = hosts.getFirst().name();
        if (root.get("capture") != null) {
            capture = root.get("capture").scalar("a host's name");
            if (!byName.containsKey(capture)) throw root.get("capture").error("no host named '" + capture + "'; hosts: " + byName.keySet());
        }
        return new ScenarioFile(file, name, description, duration, capture, List.copyOf(hosts), List.copyOf(links), List.copyOf(apps));
    }

    /** Link fields that every link sets (the command line's value for them would change nothing). */
    public Set<String> fieldsEveryLinkSets() {
        Set<String> out = new TreeSet<>();
        for (LabOption o : LINK_FIELDS) {
            if (links.stream().allMatch(l -> l.fields().containsKey(o.name()))) out.add(o.name());
        }
        return out;
    }

    static long duration(YamlNode n) {
        String t = n.scalar("a duration such as 10s");
        try {
            return Durations.parse(t).toNanos();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    /** A value checked as the lab's option {@code o} checks it. */
    static Object parse(LabOption o, YamlNode n) {
        try {
            return o.parse(n.scalar(o.type().label()));
        } catch (OptionException e) {
            throw n.error(e.reason());
        }
    }

    /** A name made from the file's: {@code My Test.yaml} becomes {@code my-test}. */
    static String nameFrom(String file) {
        String base = file.replaceFirst("\\.[A-Za-z]+$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        base = base.replaceAll("^-+|-+$", "");
        return base.isEmpty() ? "file" : base;
    }

    private static String checkName(YamlNode n) {
        String t = n.scalar("a name in lower case with dashes");
        if (!t.matches("[a-z0-9]+(-[a-z0-9]+)*")) throw n.error("'" + t + "': a name is lower case letters and digits with dashes, e.g. slow-reader");
        return t;
    }

    /** {@code name=value} for a host's setting, checked as {@code sysctl -w} checks it. */
    static String setting(String key, YamlNode value) {
        try {
            return SettingsFile.checkAssignment(key + "=" + value.scalar("the setting's value"));
        } catch (FileError e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw value.error(e.getMessage());
        }
    }
}
