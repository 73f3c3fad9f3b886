package io.threeway.lab.file;

import io.threeway.lab.LabOption;
import io.threeway.lab.OptionException;
import io.threeway.lab.file.ScenarioFile.AppSpec;
import io.threeway.lab.file.ScenarioFile.HostSpec;
import io.threeway.lab.file.ScenarioFile.LinkSpec;
import io.threeway.wire.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks of a scenario file's parts: a host, a link, an application (each error with its line). */
final class FileParts {
    private FileParts() {}

    static final Set<String> HOST_KEYS = Set.of("sysctls", "crash");
    static final Set<String> LINK_KEYS;
    static {
        var keys = new HashSet<String>(Set.of("ends"));
        for (LabOption o : ScenarioFile.LINK_FIELDS) keys.add(o.name());
        LINK_KEYS = Set.copyOf(keys);
    }

    static HostSpec host(String name, YamlNode n) {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw n.error("'" + name + "': a host's name is lower case letters and digits with dashes, e.g. client");
        }
        if (n.text() == null && !n.isMap() && !n.isList()) return new HostSpec(name, List.of(), -1); // "client:" alone
        n.onlyKeys(HOST_KEYS);
        List<String> sysctls = new ArrayList<>();
        YamlNode s = n.get("sysctls");
        if (s != null) for (var e : s.entries("settings, e.g. net.ipv4.tcp_sack: 0").entrySet()) sysctls.add(ScenarioFile.setting(e.getKey(), e.getValue()));
        long crash = n.get("crash") == null ? -1 : ScenarioFile.duration(n.get("crash"));
        return new HostSpec(name, List.copyOf(sysctls), crash);
    }

    static LinkSpec link(YamlNode n, Set<String> hosts) {
        n.entries("a link: 'ends:' and the path's fields");
        n.onlyKeys(LINK_KEYS);
        YamlNode ends = n.require("ends", "the two hosts and their addresses, e.g. {client: 198.18.0.1, server: 198.18.0.2}");
        Map<String, YamlNode> e = ends.entries("the two hosts and their addresses");
        if (e.size() != 2) throw ends.error("a link joins exactly two hosts, each with its address; got " + e.size());
        List<String> names = new ArrayList<>(e.keySet());
        for (String h : names) {
            if (!hosts.contains(h)) throw e.get(h).error("no host named '" + h + "'; hosts: " + hosts);
        }
        String a = address(e.get(names.get(0))), b = address(e.get(names.get(1)));
        if (IpAddress.parse(a).v6() != IpAddress.parse(b).v6()) throw ends.error("one end is IPv4 and the other IPv6");
        if (!prefix(a).equals(prefix(b))) {
            throw ends.error(a + " and " + b + " are not on one subnet: the two ends of a link share their first "
                    + (IpAddress.parse(a).v6() ? "64 bits" : "three numbers (a /24)"));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (LabOption o : ScenarioFile.LINK_FIELDS) {
            if (n.get(o.name()) != null) fields.put(o.name(), ScenarioFile.parse(o, n.get(o.name())));
        }
        return new LinkSpec(names.get(0), a, names.get(1), b, Map.copyOf(fields), n.line());
    }

    /** Links on one subnet would confuse the hosts' routes: each link is a subnet of its own. */
    static void checkSubnets(List<LinkSpec> links, YamlNode node) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = links.get(i);
            Integer other = seen.putIfAbsent(prefix(l.aAddress()), i);
            if (other != null) throw node.items("links").get(i).error("on the same subnet as links[" + other + "]: give each link a subnet of its own");
            for (String addr : List.of(l.aAddress(), l.bAddress())) {
                Integer was = addresses.putIfAbsent(IpAddress.parse(addr).toString(), i);
                if (was != null) throw node.items("links").get(i).error(addr + " is used twice");
            }
        }
    }

    static AppSpec app(YamlNode n, Set<String> hosts, List<LinkSpec> links) {
        n.entries("an application: 'on:', 'run:' and its fields");
        String on = n.require("on", "the host it runs on").scalar("a host's name");
        if (!hosts.contains(on)) throw n.get("on").error("no host named '" + on + "'; hosts: " + hosts);
        String word = n.require("run", "what it is: one of " + AppKind.words()).scalar("one of " + AppKind.words());
        AppKind kind = AppKind.of(word);
        if (kind == null) throw n.get("run").error("unknown application '" + word + "'; expected one of " + AppKind.words());
        Set<String> allowed = new HashSet<>(kind.fields.keySet());
        allowed.add("on");
        allowed.add("run");
        n.onlyKeys(allowed);
        Map<String, Object> values = new LinkedHashMap<>();
        for (AppKind.Field f : kind.fields.values()) {
            if (f.key().equals("to")) continue;
            YamlNode v = n.get(f.key());
            LabOption o = new LabOption(f.key(), null, f.type(), f.defaultValue(), f.help(), false, false);
            try {
                values.put(f.key(), v != null ? ScenarioFile.parse(o, v) : f.defaultValue() == null ? null : o.parse(f.defaultValue()));
            } catch (OptionException e) {
                throw n.error(e.getMessage());
            }
        }
        if (kind.server) return new AppSpec(kind, on, values, null, (int) (long) (Long) values.get("port"));
        YamlNode to = n.require("to", "the server, HOST:PORT");
        String t = to.scalar("HOST:PORT, e.g. server:80");
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || t.startsWith("[") != t.substring(0, colon).endsWith("]")) throw to.error("'" + t + "': expected HOST:PORT, e.g. server:80 or [2001:db8::2]:80");
        String host = t.substring(0, colon).replaceAll("^\\[|\\]$", "");
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw to.error("'" + t.substring(colon + 1) + "' is not a port number");
        }
        if (port < 1 || port > 65535) throw to.error("port " + port + " is out of range (1 to 65535)");
        if (hosts.contains(host)) {
            if (address(links, on, host) == null) throw to.error("'" + on + "' and '" + host + "' share no link: add one under 'links'");
        } else {
            try {
                IpAddress.parse(host);
            } catch (IllegalArgumentException e) {
                throw to.error("'" + host + "' is neither a host of this file " + hosts + " nor an address");
            }
        }
        return new AppSpec(kind, on, values, host, port);
    }

    /** The address {@code to} has on a link it shares with {@code from}, or null. */
    static String address(List<LinkSpec> links, String from, String to) {
        for (LinkSpec l : links) {
            if (l.a().equals(from) && l.b().equals(to)) return l.bAddress();
            if (l.b().equals(from) && l.a().equals(to)) return l.aAddress();
        }
        return null;
    }

    private static String address(YamlNode n) {
        String t = n.scalar("an IP address, e.g. 198.18.0.1");
        try {
            return IpAddress.parse(t).toString();
        } catch (IllegalArgumentException e) {
            throw n.error("'" + t + "' is not an IP address (e.g. 198.18.0.1 or 2001:db8::1)");
        }
    }

    /** The subnet part of an address: its /24 (IPv4) or /64 (IPv6). */
    static String prefix(String address) {
        IpAddress a = IpAddress.parse(address);
        byte[] b = a.toInetAddress().getAddress();
        int n = a.v6() ? 8 : 3;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(b[i] & 0xff).append('.');
        return s.toString();
    }
}
