package dev.sprox.config;

import java.util.Optional;

/** Turns single YAML nodes into typed values, recording a problem at the node when that fails. */
final class Values {
    private Values() {}

    static Optional<String> string(YamlNode node, String path, Fields.Context context) {
        if (!(node instanceof YamlNode.Scalar scalar)) {
            context.problems().add(node.source(), path, "expected a string, found " + YamlNode.describe(node));
            return Optional.empty();
        }
        return resolved(scalar, path, context);
    }

    static Optional<Long> integer(YamlNode node, String path, long min, long max, Fields.Context context) {
        Optional<String> text = typed(node, YamlNode.Kind.INTEGER, "an integer", path, context);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        long value;
        try {
            value = Long.parseLong(text.get().strip());
        } catch (NumberFormatException e) {
            context.problems().add(node.source(), path, "expected an integer, found \"" + text.get() + "\"");
            return Optional.empty();
        }
        if (value < min || value > max) {
            context.problems().add(node.source(), path, "must be between " + min + " and " + max + ", found " + value);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    static Optional<Double> decimal(YamlNode node, String path, double min, double max, Fields.Context context) {
        boolean number = node instanceof YamlNode.Scalar s
                && (s.kind() == YamlNode.Kind.INTEGER || s.kind() == YamlNode.Kind.DECIMAL);
        Optional<String> text = number ? Optional.of(((YamlNode.Scalar) node).text())
                : typed(node, YamlNode.Kind.DECIMAL, "a number", path, context);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        double value;
        try {
            value = Double.parseDouble(text.get().strip());
        } catch (NumberFormatException e) {
            context.problems().add(node.source(), path, "expected a number, found \"" + text.get() + "\"");
            return Optional.empty();
        }
        if (!(value >= min && value <= max)) {
            context.problems().add(node.source(), path, "must be between " + min + " and " + max + ", found " + value);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    static Optional<Boolean> bool(YamlNode node, String path, Fields.Context context) {
        Optional<String> text = typed(node, YamlNode.Kind.BOOLEAN, "true or false", path, context);
        return text.flatMap(t -> switch (t.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                context.problems().add(node.source(), path, "expected true or false, found \"" + t + "\"");
                yield Optional.empty();
            }
        });
    }

    /** The text of a scalar of the wanted kind, or of a string whose references resolve to one. */
    private static Optional<String> typed(YamlNode node, YamlNode.Kind kind, String wanted, String path,
                                          Fields.Context context) {
        if (node instanceof YamlNode.Scalar scalar) {
            if (scalar.kind() == kind) {
                return Optional.of(scalar.text());
            }
            if (scalar.kind() == YamlNode.Kind.STRING && Interpolation.hasReference(scalar.text())) {
                return resolved(scalar, path, context);
            }
        }
        context.problems().add(node.source(), path, "expected " + wanted + ", found " + YamlNode.describe(node)
                + (node instanceof YamlNode.Scalar s ? " \"" + s.text() + "\"" : ""));
        return Optional.empty();
    }

    private static Optional<String> resolved(YamlNode.Scalar scalar, String path, Fields.Context context) {
        if (scalar.kind() != YamlNode.Kind.STRING || !Interpolation.hasReference(scalar.text())) {
            return Optional.of(scalar.text());
        }
        Interpolation.Resolved resolved = context.interpolation().resolve(scalar.text());
        if (resolved.error() != null) {
            context.problems().add(scalar.source(), path, resolved.error());
            return Optional.empty();
        }
        return Optional.of(resolved.value());
    }
}
