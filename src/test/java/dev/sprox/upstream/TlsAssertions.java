package dev.sprox.upstream;

/** Assertions on the messages operators read. */
final class TlsAssertions {

    private TlsAssertions() {}

    static void assertContains(String text, String... expected) {
        for (String part : expected) {
            if (text == null || !text.contains(part)) {
                throw new AssertionError("expected \"" + part + "\" in: " + text);
            }
        }
    }
}
