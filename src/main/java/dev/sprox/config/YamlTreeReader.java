package dev.sprox.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML with Jackson's streaming parser into {@link YamlNode}s that remember their positions.
 * Jackson's own tree model drops locations, and those are what makes a configuration error useful.
 */
final class YamlTreeReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private YamlTreeReader() {}

    /** The document's root, or empty when the file is unreadable YAML (the problem is then recorded). */
    static Optional<YamlNode> read(String file, Reader text, Problems problems) {
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.of(new YamlNode.Null(new Source(file, 1, 1)));
            }
            YamlNode root = value(file, parser, problems, "");
            if (parser.nextToken() != null) {
                problems.add(at(file, parser.currentTokenLocation()), "", "only one YAML document is allowed per file");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                var mark = yaml.getProblemMark();
                String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
                problems.add(new Source(file, mark.getLine() + 1, mark.getColumn() + 1), "",
                        "not valid YAML: " + yaml.getProblem() + context);
            } else {
                problems.add(at(file, e.getLocation()), "", "not valid YAML: " + e.getOriginalMessage());
            }
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Source.of(file), "", "cannot read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static YamlNode value(String file, JsonParser parser, Problems problems, String path)
            throws IOException {
        Source source = at(file, parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(file, parser, problems, source, path);
            case START_ARRAY -> sequence(file, parser, problems, source, path);
            case VALUE_NULL -> new YamlNode.Null(source);
            case VALUE_TRUE, VALUE_FALSE -> new YamlNode.Scalar(source, parser.getText(), YamlNode.Kind.BOOLEAN);
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(source, parser.getText(), YamlNode.Kind.INTEGER);
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(source, parser.getText(), YamlNode.Kind.DECIMAL);
            default -> new YamlNode.Scalar(source, parser.getText(), YamlNode.Kind.STRING);
        };
    }

    private static YamlNode mapping(String file, JsonParser parser, Problems problems, Source source, String path)
            throws IOException {
        var entries = new LinkedHashMap<String, YamlNode.Entry>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Source keySource = at(file, parser.currentTokenLocation());
            parser.nextToken();
            String keyPath = Paths.child(path, key);
            YamlNode value = value(file, parser, problems, keyPath);
            if (entries.putIfAbsent(key, new YamlNode.Entry(keySource, value)) != null) {
                problems.add(keySource, keyPath, "duplicate key (first written at line "
                        + entries.get(key).keySource().line() + ")");
            }
        }
        return new YamlNode.Mapping(source, entries);
    }

    private static YamlNode sequence(String file, JsonParser parser, Problems problems, Source source, String path)
            throws IOException {
        var items = new ArrayList<YamlNode>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(value(file, parser, problems, Paths.item(path, items.size())));
        }
        return new YamlNode.Sequence(source, items);
    }

    private static Source at(String file, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return Source.of(file);
        }
        return new Source(file, location.getLineNr(), Math.max(1, location.getColumnNr()));
    }
}
