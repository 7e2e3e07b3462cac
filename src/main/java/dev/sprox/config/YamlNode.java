package dev.sprox.config;

import java.util.List;
import java.util.Map;

/** A YAML value with the place it was written, so every problem can point at its line and column. */
sealed interface YamlNode {

    Source source();

    /** A mapping; keys keep their order and their own source positions. */
    record Mapping(Source source, Map<String, Entry> entries) implements YamlNode {}

    record Entry(Source keySource, YamlNode value) {}

    record Sequence(Source source, List<YamlNode> items) implements YamlNode {}

    /** A scalar as the parser typed it: string, integer, decimal, boolean. */
    record Scalar(Source source, String text, Kind kind) implements YamlNode {}

    record Null(Source source) implements YamlNode {}

    enum Kind { STRING, INTEGER, DECIMAL, BOOLEAN }

    static String describe(YamlNode node) {
        return switch (node) {
            case Mapping m -> "a mapping";
            case Sequence s -> "a list";
            case Null n -> "nothing (null)";
            case Scalar s -> switch (s.kind()) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case DECIMAL -> "a decimal number";
                case BOOLEAN -> "a boolean";
            };
        };
    }
}
