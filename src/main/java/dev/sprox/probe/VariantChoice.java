package dev.sprox.probe;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which variant of a multivariant playlist to play: {@code highest} or {@code lowest} BANDWIDTH, or the Nth (1-based). */
public record VariantChoice(String text) {

    /** @throws IllegalArgumentException when the text is none of the three forms */
    public static VariantChoice parse(String text) {
        if (!text.equals("highest") && !text.equals("lowest") && !text.matches("[1-9]\\d{0,5}")) {
            throw new IllegalArgumentException("--variant must be highest, lowest or a position from 1, not " + text);
        }
        return new VariantChoice(text);
    }

    Optional<StreamInf.Variant> from(List<StreamInf.Variant> variants) {
        Comparator<StreamInf.Variant> byBandwidth = Comparator.comparingLong(StreamInf.Variant::bandwidth);
        return switch (text) {
            case "highest" -> variants.stream().max(byBandwidth);
            case "lowest" -> variants.stream().min(byBandwidth);
            default -> {
                int position = Integer.parseInt(text);
                yield position <= variants.size() ? Optional.of(variants.get(position - 1)) : Optional.empty();
            }
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
