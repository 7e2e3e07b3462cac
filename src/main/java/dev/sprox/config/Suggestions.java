package dev.sprox.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean" for misspelt keys and names: the closest candidate within a small edit distance. */
final class Suggestions {
    private Suggestions() {}

    static Optional<String> closest(String typed, Collection<String> candidates) {
        int allowed = Math.max(1, typed.length() / 3);
        return candidates.stream()
                .filter(c -> distance(typed, c) <= allowed)
                .min(Comparator.comparingInt(c -> distance(typed, c)));
    }

    static String didYouMean(String typed, Collection<String> candidates) {
        return closest(typed, candidates).map(c -> "; did you mean \"" + c + "\"?").orElse("");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
