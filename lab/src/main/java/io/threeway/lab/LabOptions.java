package io.threeway.lab;

import io.threeway.lab.OptionException.OptionsException;
import io.threeway.settings.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one catalogue of a lab run's options: the common ones every scenario takes (the path's impairments,
 * {@code -6}, the seed, settings, pcap, JSON) and each scenario's own parameters, with their types, defaults,
 * help and checks. The command line ({@code threeway lab NAME --rtt 10ms}) and the web lab's run form both list
 * their fields from {@link #fields} and turn what the user typed into {@link ScenarioOptions} with {@link #build},
 * so both accept and refuse the same values with the same messages.
 */
public final class LabOptions {
    private LabOptions() {}

    public static final LabOption RTT = LabOption.common("rtt", ValueType.duration(), "100ms",
            "Round-trip time of the simulated path; each direction delays packets by half, e.g. 100ms, 1.5s, 250us.");
    public static final LabOption LOSS = LabOption.common("loss", ValueType.fraction(), "0",
            "Probability that the path drops a packet, each direction: a fraction from 0 to 1 (0.1) or a percentage (10%).");
    public static final LabOption JITTER = LabOption.common("jitter", ValueType.duration(), "0s",
            "Each direction's delay varies uniformly by up to this much either way (netem's delay jitter); packets keep "
                    + "their order. At most half the RTT.");
    public static final LabOption REORDER = LabOption.common("reorder", ValueType.fraction(), "0",
            "Probability that a packet is held back " + LinkOptions.REORDER_HOLD.toMillis() + " ms and overtaken by later ones.");
    public static final LabOption DUPLICATE = LabOption.common("duplicate", ValueType.fraction(), "0",
            "Probability that a packet arrives twice.");
    public static final LabOption BANDWIDTH = LabOption.common("bandwidth", ValueType.bitrate(true), "unlimited",
            "Bits a second each direction carries, as tc writes them (10mbit, 1gbit); packets wait their turn in the "
                    + "sender's queue (--queue).");
    public static final LabOption QUEUE = LabOption.common("queue", ValueType.integer(1, 1_000_000),
            Integer.toString(LinkOptions.DEFAULT_QUEUE),
            "The sender's drop-tail queue in packets, as a Linux device's txqueuelen; packets that find it full are "
                    + "dropped and counted. Needs --bandwidth (an unlimited link never queues).");
    public static final LabOption MTU = LabOption.common("mtu", ValueType.integer(68, 65_535),
            Integer.toString(LinkOptions.DEFAULT_MTU),
            "The largest IP packet the path carries, in bytes; both hosts' interfaces take it, so it sets the MSS "
                    + "(IPv6 needs at least 1280).");
    public static final LabOption IPV6 = new LabOption("ipv6", "6", ValueType.flag(), "false",
            "Run over IPv6 (2001:db8::1, ::2) instead of IPv4 (198.18.0.1, .2).", false, true);
    public static final LabOption SEED = LabOption.common("seed", ValueType.integer(Long.MIN_VALUE, Long.MAX_VALUE), "1",
            "Seed of every random choice (loss, ISNs, ports): the same seed gives the same run.");
    public static final LabOption SYSCTL = new LabOption("sysctl", null, ValueType.setting(), null,
            "Change a setting on every host, e.g. net.ipv4.tcp_syn_retries=2 (repeatable; see 'threeway sysctl -a').",
            true, true);
    public static final LabOption SYSCTL_FILE = LabOption.common("sysctl-file", ValueType.file(), null,
            "Apply a settings file ('name = value' a line, as sysctl -p reads) before any --sysctl.");
    public static final LabOption PCAP = LabOption.common("pcap", ValueType.file(), null,
            "Write the packets to FILE in pcap format (tcpdump -r FILE, Wireshark).");
    public static final LabOption JSON = LabOption.common("json", ValueType.flag(), "false",
            "Print the report as one JSON document instead of text.");

    /** The common options, in the order help lists them. */
    public static final List<LabOption> COMMON = List.of(RTT, LOSS, JITTER, REORDER, DUPLICATE, BANDWIDTH, QUEUE, MTU,
            IPV6, SEED, SYSCTL, SYSCTL_FILE, PCAP, JSON);

    /** The smallest MTU an IPv6 link may have (RFC 8200 §5). */
    static final int IPV6_MIN_MTU = 1280;

    /**
     * Every field of {@code scenario}'s form: the common options with the scenario's own defaults
     * ({@link Scenario#optionDefaults}), then its parameters.
     */
    public static List<LabOption> fields(Scenario scenario) {
        Map<String, String> defaults = scenario.optionDefaults();
        List<LabOption> out = new ArrayList<>();
        for (LabOption o : COMMON) {
            String why = refusal(scenario, o.name());
            if (why != null) out.add(o.refused(scenario.name(), why));
            else out.add(defaults.containsKey(o.name()) ? o.withDefault(defaults.get(o.name())) : o);
        }
        for (ScenarioParameter p : scenario.parameters()) out.add(LabOption.of(p));
        return out;
    }

    /** Why {@code scenario} refuses the common option {@code name}, or null when it takes it (the reason as its errors give it). */
    public static String refusal(Scenario scenario, String name) {
        if (name.equals(IPV6.name()) && !scenario.supportsIpv6()) return IPV4_ONLY;
        return scenario.refusedOptions().get(name);
    }

    /** Why a scenario that runs over IPv4 only refuses {@code -6}. */
    private static final String IPV4_ONLY = "it runs over IPv4 only, for now";

    /** One field of {@code scenario} by name, or null. */
    public static LabOption field(Scenario scenario, String name) {
        for (LabOption o : fields(scenario)) if (o.name().equals(name)) return o;
        return null;
    }

    /**
     * Builds the options of a run from {@code NAME=VALUE} strings ({@code rtt=10ms}, {@code sysctl=net.ipv4.x=1},
     * {@code json}, a flag alone meaning true), as {@link #build(Scenario, Map)}.
     */
    public static ScenarioOptions build(Scenario scenario, List<String> assignments) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            String name = (eq < 0 ? a : a.substring(0, eq)).strip();
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(eq < 0 ? "true" : a.substring(eq + 1));
        }
        return build(scenario, values);
    }

    /**
     * Builds the options of a run of {@code scenario} from the values the user typed, by field name (a field
     * missing or with no values takes its default). Checks every value and the fields against each other.
     *
     * @throws OptionsException every problem found, each an {@link OptionException} naming its field
     */
    public static ScenarioOptions build(Scenario scenario, Map<String, List<String>> values) {
        Form form = new Form(scenario, values);
        ScenarioOptions built = form.assemble();
        if (!form.errors.isEmpty()) throw new OptionsException(form.errors);
        return built;
    }

    /** One form being read: the parsed values and the problems found so far. */
    private static final class Form {
        private final Scenario scenario;
        private final Map<String, List<String>> given;
        private final Map<String, LabOption> fields = new LinkedHashMap<>();
        private final List<OptionException> errors = new ArrayList<>();

        Form(Scenario scenario, Map<String, List<String>> given) {
            this.scenario = scenario;
            this.given = given;
            for (LabOption o : fields(scenario)) fields.put(o.name(), o);
            for (var e : given.entrySet()) {
                LabOption o = fields.get(e.getKey());
                if (o == null) {
                    errors.add(new OptionException(e.getKey(), "scenario '" + scenario.name() + "' has no such option"));
                } else if (e.getValue().size() > 1 && !o.repeatable()) {
                    errors.add(new OptionException(e.getKey(), "given more than once"));
                }
            }
            if (!scenario.supportsIpv6() && given.containsKey(IPV6.name())
                    && given.get(IPV6.name()).stream().anyMatch(v -> Boolean.TRUE.equals(safeFlag(v)))) {
                errors.add(new OptionException(IPV6.name(), "scenario '" + scenario.name() + "' refuses it: " + IPV4_ONLY));
            }
            for (var e : scenario.refusedOptions().entrySet()) {
                if (isGiven(e.getKey())) {
                    errors.add(new OptionException(e.getKey(), "scenario '" + scenario.name() + "' refuses it: " + e.getValue()));
                }
            }
        }

        private static Object safeFlag(String v) {
            try {
                return ValueType.flag().parse(v);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** Whether the user gave the field a value. */
        boolean isGiven(String name) {
            List<String> v = given.get(name);
            return v != null && !v.isEmpty();
        }

        /** The field's parsed value (the user's, else its default), or {@code fallback} when it is not valid. */
        Object value(String name, Object fallback) {
            LabOption o = fields.get(name);
            String text = isGiven(name) ? given.get(name).getLast() : o.defaultValue();
            if (text == null) return fallback;
            try {
                return o.parse(text);
            } catch (OptionException e) {
                errors.add(e);
                return fallback;
            }
        }

        ScenarioOptions assemble() {
            LinkOptions link = link();
            boolean ipv6 = (Boolean) value(IPV6.name(), false);
            if (ipv6 && link.mtu() < IPV6_MIN_MTU) {
                errors.add(new OptionException(MTU.name(), link.mtu() + " is under IPv6's minimum link MTU of "
                        + IPV6_MIN_MTU + " bytes (RFC 8200)"));
            }
            Path pcap = (Path) value(PCAP.name(), null);
            if (pcap != null) checkWritable(pcap);
            Map<String, String> params = new LinkedHashMap<>();
            for (ScenarioParameter p : scenario.parameters()) {
                if (!isGiven(p.name())) continue;
                value(p.name(), null);
                params.put(p.name(), given.get(p.name()).getLast().strip());
            }
            return new ScenarioOptions(link, (Long) value(SEED.name(), 1L), ipv6, pcap, (Boolean) value(JSON.name(), false),
                    sysctls(), params, null, Progress.NONE, null);
        }

        private LinkOptions link() {
            Duration rtt = (Duration) value(RTT.name(), LinkOptions.DEFAULT.rtt());
            Duration jitter = (Duration) value(JITTER.name(), Duration.ZERO);
            long bandwidth = (Long) value(BANDWIDTH.name(), 0L);
            if (isGiven(QUEUE.name()) && bandwidth == 0) {
                errors.add(new OptionException(QUEUE.name(), "the path has no bandwidth limit, so nothing ever queues: "
                        + "give --bandwidth too"));
            }
            try {
                return new LinkOptions(rtt, (Double) value(LOSS.name(), 0.0), jitter, (Double) value(REORDER.name(), 0.0),
                        (Double) value(DUPLICATE.name(), 0.0), bandwidth, (int) (long) (Long) value(QUEUE.name(), 1000L),
                        (int) (long) (Long) value(MTU.name(), 1500L));
            } catch (OptionException e) {
                errors.add(e);
                return LinkOptions.DEFAULT;
            }
        }

        private Sysctls sysctls() {
            Sysctls s = new Sysctls();
            Path file = (Path) value(SYSCTL_FILE.name(), null);
            if (file != null) {
                try {
                    SettingsFile.loadStrict(file, s);
                } catch (IOException | IllegalArgumentException e) {
                    errors.add(new OptionException(SYSCTL_FILE.name(), e.getMessage()));
                }
            }
            for (String a : given.getOrDefault(SYSCTL.name(), List.of())) {
                try {
                    s.assign(SettingsFile.checkAssignment(a.strip()));
                } catch (IllegalArgumentException e) {
                    errors.add(new OptionException(SYSCTL.name(), e.getMessage()));
                }
            }
            return s;
        }

        /** The pcap file's directory must exist and take files: say which part of the path is wrong, before the run. */
        private void checkWritable(Path pcap) {
            Path dir = pcap.toAbsolutePath().getParent();
            String problem = null;
            if (Files.isDirectory(pcap)) problem = "cannot write " + pcap + ": it is a directory";
            else if (dir != null && !Files.exists(dir)) problem = "cannot write " + pcap + ": no directory " + dir;
            else if (dir != null && !Files.isDirectory(dir)) problem = "cannot write " + pcap + ": " + dir + " is not a directory";
            else if (dir != null && !Files.isWritable(dir)) problem = "cannot write " + pcap + ": permission denied in " + dir;
            if (problem != null) errors.add(new OptionException(PCAP.name(), problem));
        }
    }
}
