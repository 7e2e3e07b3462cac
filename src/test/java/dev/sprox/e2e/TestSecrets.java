package dev.sprox.e2e;

import java.util.List;

/**
 * The secrets the end-to-end tests hand to sprox. Every sprox process they start is checked, when it is
 * closed, for any of these in anything it printed: no secret may reach a log line.
 */
final class TestSecrets {
    static final String API_PASSWORD = "hunter2";
    static final String SOCKS_PASSWORD = "s3cr3t-from-env";
    static final String TOKEN = "tok-5f1e2d3c";

    static final List<String> ALL = List.of(API_PASSWORD, SOCKS_PASSWORD, TOKEN);

    private TestSecrets() {}

    /** Fails naming the secret and the first line that carried it. */
    static void assertNoneIn(List<String> lines, String stream) {
        for (String secret : ALL) {
            for (String line : lines) {
                if (line.contains(secret)) {
                    throw new AssertionError("a secret reached sprox's " + stream + ": " + line);
                }
            }
        }
    }
}
