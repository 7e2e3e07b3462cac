package dev.sprox.upstream;

/** The JVM-wide settings of the JDK's {@code HttpClient} that sprox relies on. */
public final class ClientProperties {
    /** sprox's {@code jdk.httpclient.bufsize} unless the operator set one. */
    static final int BUFFER_BYTES = 32 * 1024;

    private ClientProperties() {}

    /**
     * Sets them; idempotent. The JDK client silently sends a GET or HEAD a second time when its connection
     * closes before any byte of the response (and retries a failed connect). Retries are sprox's, counted against max_attempts and the
     * retry budget, so the JDK may make only one attempt per send; a failed connect is reported as itself
     * rather than as "too many retries". The client's read buffer size is what each origin connection holds (the
     * JDK keeps a partly filled one per connection) and the size of each piece of a body: the JDK's 16 KiB made
     * sprox spend twice nginx's CPU per proxied byte, 256 KiB cost 256 KiB and more per player that does not read
     * (1000 of them did not fit a 256 MiB heap). 32 KiB (then with one piece read ahead, since dropped:
     * {@link PacedBody}) relayed 4 MiB segments at the same ratio to nginx as 256 KiB did (0.54 and 0.79 against
     * 0.58 and 0.73, one noisy run each), and 1000 players that never read fit a 128 MiB heap. An operator's -Djdk.httpclient.bufsize wins.
     * All are read once, when the JDK client first loads, so they are set at start-up before any client exists:
     * by {@code Main}, and for tests by {@code ClientPropertiesExtension}.
     */
    public static void install() {
        System.setProperty("jdk.httpclient.redirects.retrylimit", "1");
        System.setProperty("jdk.httpclient.disableRetryConnect", "true");
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(BUFFER_BYTES));
        }
    }
}
