package dev.sprox.config;

import dev.sprox.http.Tokens;
import dev.sprox.security.Cidr;
import dev.sprox.security.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the keys of one YAML mapping into typed values. Every wrong value becomes a {@link Problem} at the
 * value's own position and reading goes on, so one pass finds everything; keys nobody asked for are unknown.
 */
final class Fields {
    private final YamlNode.Mapping mapping;
    private final String path;
    private final Context context;
    private final Set<String> asked = new LinkedHashSet<>();

    private Fields(YamlNode.Mapping mapping, String path, Context context) {
        this.mapping = mapping;
        this.path = path;
        this.context = context;
    }

    /** What every reader of one file shares: where problems go and how references resolve. */
    record Context(Problems problems, Interpolation interpolation) {}

    /** The mapping at {@code node}; null stands for an empty mapping; anything else is a problem. */
    static Optional<Fields> of(YamlNode node, String path, Context context) {
        return switch (node) {
            case YamlNode.Mapping m -> Optional.of(new Fields(m, path, context));
            case YamlNode.Null n -> Optional.of(new Fields(new YamlNode.Mapping(n.source(), Map.of()), path, context));
            default -> {
                context.problems().add(node.source(), path, "expected a mapping, found " + YamlNode.describe(node));
                yield Optional.empty();
            }
        };
    }

    Source source() {
        return mapping.source();
    }

    String path() {
        return path;
    }

    String path(String key) {
        return Paths.child(path, key);
    }

    Context context() {
        return context;
    }

    Source sourceOf(String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        return entry == null ? mapping.source() : entry.value().source();
    }

    void problem(String key, String message) {
        context.problems().add(sourceOf(key), path(key), message);
    }

    boolean has(String key) {
        asked.add(key);
        YamlNode.Entry entry = mapping.entries().get(key);
        return entry != null && !(entry.value() instanceof YamlNode.Null);
    }

    /** The value under {@code key}; a null value counts as absent. */
    Optional<YamlNode> node(String key) {
        return has(key) ? Optional.of(mapping.entries().get(key).value()) : Optional.empty();
    }

    /** Every key present, for mappings whose keys are names the operator chose (headers, attributes). */
    java.util.Collection<String> keys() {
        return mapping.entries().keySet();
    }

    Optional<Fields> mapping(String key) {
        return node(key).flatMap(n -> of(n, path(key), context));
    }

    Optional<String> string(String key) {
        return node(key).flatMap(n -> Values.string(n, path(key), context));
    }

    Optional<String> requiredString(String key) {
        if (!has(key)) {
            missing(key);
            return Optional.empty();
        }
        return string(key);
    }

    Optional<Long> integer(String key, long min, long max) {
        return node(key).flatMap(n -> Values.integer(n, path(key), min, max, context));
    }

    Optional<Boolean> bool(String key) {
        return node(key).flatMap(n -> Values.bool(n, path(key), context));
    }

    Optional<Double> decimal(String key, double min, double max) {
        return node(key).flatMap(n -> Values.decimal(n, path(key), min, max, context));
    }

    /** A file that must exist and be readable; relative paths are relative to the configuration directory. */
    Optional<java.nio.file.Path> readableFile(String key) {
        return string(key).flatMap(text -> {
            java.nio.file.Path file = context.interpolation().baseDirectory().resolve(text);
            if (!java.nio.file.Files.isReadable(file) || java.nio.file.Files.isDirectory(file)) {
                problem(key, "cannot read file " + file);
                return Optional.empty();
            }
            return Optional.of(file);
        });
    }

    /** A duration written as whole milliseconds under a {@code *_ms} key; zero is never meaningful. */
    Optional<Duration> millis(String key) {
        return integer(key, 1, Duration.ofDays(1).toMillis()).map(Duration::ofMillis);
    }

    /** The items of a list, each with its own path; a problem if the value is not a list. */
    List<Item> list(String key) {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return List.of();
        }
        if (!(node.get() instanceof YamlNode.Sequence sequence)) {
            problem(key, "expected a list, found " + YamlNode.describe(node.get()));
            return List.of();
        }
        var items = new ArrayList<Item>();
        for (int i = 0; i < sequence.items().size(); i++) {
            items.add(new Item(sequence.items().get(i), Paths.item(path(key), i)));
        }
        return items;
    }

    List<String> strings(String key) {
        var values = new ArrayList<String>();
        for (Item item : list(key)) {
            Values.string(item.node(), item.path(), context).ifPresent(values::add);
        }
        return values;
    }

    /** A list of IP addresses or CIDR blocks. */
    List<Cidr> cidrs(String key) {
        var blocks = new ArrayList<Cidr>();
        for (Item item : list(key)) {
            Values.string(item.node(), item.path(), context).ifPresent(text -> Cidr.parse(text).ifPresentOrElse(
                    blocks::add,
                    () -> context.problems().add(item.node().source(), item.path(),
                            "not an IP address or CIDR block: \"" + text + "\"")));
        }
        return blocks;
    }

    /** A mapping whose keys are the operator's own names (headers, attributes), each with a string value. */
    Map<String, String> stringMap(String key) {
        var values = new LinkedHashMap<String, String>();
        mapping(key).ifPresent(m -> m.keys().forEach(name -> m.string(name).ifPresent(value -> values.put(name, value))));
        return values;
    }

    /** Request headers sprox sends on the operator's behalf (to a collector, a key server): values are secrets. */
    Map<String, Secret> secretHeaders(String key) {
        var headers = new LinkedHashMap<String, Secret>();
        stringMap(key).forEach((name, value) -> {
            if (Tokens.isToken(name)) {
                headers.put(name, new Secret(value));
            } else {
                problem(key, "not a header name: \"" + name + "\"");
            }
        });
        return headers;
    }

    void missing(String key) {
        context.problems().add(mapping.source(), path(key), "is required");
    }

    /** Reports every key that was never asked for, suggesting the nearest known one. */
    void rejectUnknown() {
        mapping.entries().forEach((key, entry) -> {
            if (!asked.contains(key)) {
                context.problems().add(entry.keySource(), path(key),
                        "unknown key" + Suggestions.didYouMean(key, asked));
            }
        });
    }

    record Item(YamlNode node, String path) {}
}
