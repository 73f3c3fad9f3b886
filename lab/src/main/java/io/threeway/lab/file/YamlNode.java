package io.threeway.lab.file;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One value of a scenario file with where it stands: a mapping (keys in file order), a list, or a scalar (its text;
 * null for YAML's null), with its line and the path of keys that leads to it ({@code links[0].rtt}), so every
 * complaint about it can say where it is.
 *
 * @param file    the file's name, for messages
 * @param line    the line (from 1) the value starts on
 * @param path    the keys and indexes from the top of the file, e.g. {@code apps[2].to}
 * @param map     the entries of a mapping, else null
 * @param list    the items of a list, else null
 * @param text    a scalar's text, else null
 */
public record YamlNode(String file, int line, String path, Map<String, YamlNode> map, List<YamlNode> list, String text) {

    public boolean isMap() { return map != null; }

    public boolean isList() { return list != null; }

    /** A complaint about this value. */
    public FileError error(String message) {
        return new FileError(file, line, path, message);
    }

    /** The entries, or an error saying a mapping ({@code what}) was expected here. */
    public Map<String, YamlNode> entries(String what) {
        if (map == null) throw error("expected " + what + " (a mapping of 'key: value' lines), got " + describe());
        return map;
    }

    /** The items, or an error saying a list ({@code what}) was expected here. */
    public List<YamlNode> items(String what) {
        if (list == null) throw error("expected " + what + " (a list of '- ' items), got " + describe());
        return list;
    }

    /** The scalar's text, or an error saying {@code what} was expected here. */
    public String scalar(String what) {
        if (map != null || list != null || text == null) throw error("expected " + what + ", got " + describe());
        return text;
    }

    /** The entry {@code key} of this mapping, or null. */
    public YamlNode get(String key) {
        return map == null ? null : map.get(key);
    }

    /** The entry {@code key} of this mapping, or an error naming it as missing. */
    public YamlNode require(String key, String what) {
        YamlNode n = get(key);
        if (n == null) throw error("missing '" + key + "' (" + what + ")");
        return n;
    }

    /** Refuses keys of this mapping outside {@code allowed}, naming the first such key and what may stand here. */
    public void onlyKeys(Set<String> allowed) {
        for (var e : entries("a mapping").entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown key '" + e.getKey() + "' here; expected one of "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** What this value is, for messages. */
    String describe() {
        if (map != null) return "a mapping";
        if (list != null) return "a list";
        return text == null ? "nothing" : "'" + text + "'";
    }

    static YamlNode mapping(String file, int line, String path) {
        return new YamlNode(file, line, path, new LinkedHashMap<>(), null, null);
    }
}
