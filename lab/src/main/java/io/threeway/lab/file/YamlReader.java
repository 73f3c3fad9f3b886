package io.threeway.lab.file;

import java.util.ArrayList;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a scenario file's YAML (Jackson's YAML module) into {@link YamlNode}s that keep their lines, so the checks
 * that follow can point at the line of a bad value. A YAML syntax error and a key given twice are errors with their
 * line too.
 */
public final class YamlReader {
    private YamlReader() {}

    private static final YAMLMapper MAPPER = new YAMLMapper();

    /** The document in {@code text}, read from the file named {@code file} (for messages). */
    public static YamlNode read(String file, String text) {
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new FileError(file, 0, "", "the file is empty; expected a mapping of 'key: value' lines");
            return value(file, p, "");
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new FileError(file, line, "", "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** The value at the parser's current token (its first), leaving the parser on its last token. */
    private static YamlNode value(String file, JsonParser p, String path) {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            YamlNode node = YamlNode.mapping(file, line, path);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                int keyLine = p.currentTokenLocation().getLineNr();
                if (node.map().containsKey(key)) {
                    throw new FileError(file, keyLine, path, "'" + key + "' is given twice (first on line "
                            + node.map().get(key).line() + ")");
                }
                p.nextToken();
                node.map().put(key, value(file, p, path.isEmpty() ? key : path + "." + key));
            }
            return node;
        }
        if (t == JsonToken.START_ARRAY) {
            var items = new ArrayList<YamlNode>();
            while (p.nextToken() != JsonToken.END_ARRAY) items.add(value(file, p, path + "[" + items.size() + "]"));
            return new YamlNode(file, line, path, null, items, null);
        }
        return new YamlNode(file, line, path, null, null, t == JsonToken.VALUE_NULL ? null : p.getText());
    }
}
