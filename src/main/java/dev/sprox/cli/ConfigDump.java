package dev.sprox.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sprox.config.SproxConfig;
import dev.sprox.drm.ContentKey;
import dev.sprox.drm.Kid;
import dev.sprox.http.HostPattern;
import dev.sprox.security.Cidr;
import dev.sprox.security.Redaction;
import dev.sprox.security.Secret;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resolved configuration as YAML for {@code sprox validate --print}: every record component under its
 * snake_case name, durations as {@code <name>_ms} (or {@code _s} where the file writes seconds), empty optionals
 * left out, and secrets masked. Only
 * {@link Secret}s and content keys are masked (origin URLs cannot carry credentials): other values that came from
 * {@code ${env:}} or {@code ${file:}} (hosts, origins, paths) are exactly what an operator checks here.
 */
final class ConfigDump {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    /** Components whose name in a config file is not simply their snake_case form. */
    private static final Map<String, String> CONFIG_NAMES = Map.of("listenerIds", "listeners");
    /** Durations a config file writes in whole seconds ({@code <name>_s}) rather than milliseconds. */
    private static final Set<String> IN_SECONDS = Set.of("signedUrlTtl", "cacheTtl", "missTtl");

    private ConfigDump() {}

    static String yaml(SproxConfig config) {
        try {
            return YAML.writeValueAsString(tree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of maps, lists and scalars is always writable", e);
        }
    }

    /** Maps, lists and scalars only, so the YAML writer needs no knowledge of the records. */
    private static Object tree(Object value) {
        return switch (value) {
            case null -> null;
            case Secret secret -> Redaction.MASK;
            case ContentKey key -> Redaction.MASK;
            case Kid kid -> kid.hex();
            case HostPattern pattern -> pattern.pattern();
            case Cidr cidr -> cidr.toString();
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case Map<?, ?> map -> {
                var entries = new LinkedHashMap<String, Object>();
                map.forEach((key, entry) -> entries.put(String.valueOf(key), tree(entry)));
                yield entries;
            }
            case Set<?> set -> set.stream().map(ConfigDump::tree).map(String::valueOf).sorted().toList();
            case Collection<?> list -> list.stream().map(ConfigDump::tree).toList();
            case Record record -> fields(record);
            default -> value.toString(); // URI, Path: their text is how a config file writes them
        };
    }

    private static Map<String, Object> fields(Record record) {
        var fields = new LinkedHashMap<String, Object>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value = read(component, record);
            if (value instanceof Optional<?> optional) {
                if (optional.isEmpty()) {
                    continue;
                }
                value = optional.get();
            }
            String name = CONFIG_NAMES.getOrDefault(component.getName(), snakeCase(component.getName()));
            if (value instanceof Duration duration && IN_SECONDS.contains(component.getName())) {
                fields.put(name + "_s", duration.toSeconds());
            } else if (value instanceof Duration duration) {
                fields.put(name + "_ms", duration.toMillis());
            } else {
                fields.put(name, tree(value));
            }
        }
        return fields;
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("configuration records are public: " + component, e);
        }
    }

    private static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
