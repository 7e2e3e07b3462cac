package dev.sprox.config;

/** Spells configuration paths the way problems report them: {@code routes[0].upstream.origin}. */
final class Paths {
    private Paths() {}

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
