package dev.sprox.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Header fields in the order they were written; names compare case-insensitively (RFC 9110 §5.1). */
public final class Headers {
    public static final Headers EMPTY = new Headers(List.of());

    private final List<Field> fields;

    private Headers(List<Field> fields) {
        this.fields = fields;
    }

    public record Field(String name, String value) {}

    public static Headers of(String... namesAndValues) {
        var builder = builder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        var builder = new Builder();
        builder.fields.addAll(fields);
        return builder;
    }

    public Optional<String> first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    public List<String> all(String name) {
        var values = new ArrayList<String>(2);
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    public boolean has(String name) {
        return first(name).isPresent();
    }

    /** True when a comma-separated header (such as {@code Connection}) lists {@code token}. */
    public boolean hasToken(String name, String token) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name) && lists(field.value(), token)) {
                return true;
            }
        }
        return false;
    }

    /** True when one of the {@code values} of a comma-separated header lists {@code token}, in any case. */
    public static boolean listsToken(List<String> values, String token) {
        return values.stream().anyMatch(value -> lists(value, token));
    }

    private static boolean lists(String value, String token) {
        for (String element : value.split(",")) {
            if (element.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    public List<Field> fields() {
        return Collections.unmodifiableList(fields);
    }

    public int size() {
        return fields.size();
    }

    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        public Builder add(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        public Builder remove(String name) {
            fields.removeIf(f -> f.name().equalsIgnoreCase(name));
            return this;
        }

        public Headers build() {
            return new Headers(List.copyOf(fields));
        }
    }
}
