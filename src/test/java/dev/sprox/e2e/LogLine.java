package dev.sprox.e2e;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the few fields the tests need from sprox's flat one-object-per-line JSON logs. Deliberately tiny: the
 * lines are flat, so a field is {@code "name":"string"} or {@code "name":number}.
 */
final class LogLine {
    private LogLine() {}

    static Optional<String> string(String line, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    static OptionalLong number(String line, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(line);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    static Predicate<String> message(String message) {
        return field("message", message);
    }

    static Predicate<String> field(String name, String value) {
        return line -> string(line, name).filter(value::equals).isPresent();
    }

    static Predicate<String> field(String name, long value) {
        return line -> number(line, name).equals(OptionalLong.of(value));
    }

    private static String unescape(String text) {
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
