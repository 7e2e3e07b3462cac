package dev.sprox.upstream;

/** The JVM-wide settings of the JDK's {@code HttpClient} that sprox relies on. */
public final class ClientProperties {
    /**
     * The client's read buffer, and so the largest piece of a body it hands over; each origin connection keeps a
     * partly filled one. The JDK's 16 KiB made sprox spend twice nginx's CPU per proxied byte when each piece was
     * written on its own; 256 KiB cost 256 KiB and more per player that does not read. 32 KiB relayed 4 MiB
     * segments at the same ratio to nginx as 256 KiB did (docs/operations.md, "Memory", has the figures).
     */
    static final int BUFSIZE = 32 * 1024;
    /**
     * The receive window of an HTTP/2 stream to an origin: what the JDK buffers for a stream whose client does not
     * read before the origin must wait. The JDK's default, 16 MiB, let one such player hold 16 MiB; 128 KiB still
     * carries 50 Mbit/s per stream at 20 ms from the origin.
     */
    static final int H2_STREAM_WINDOW = 128 * 1024;

    private ClientProperties() {}

    /**
     * Sets them; idempotent. The JDK client silently sends a GET or HEAD a second time when its connection
     * closes before any byte of the response (and retries a failed connect). Retries are sprox's, counted against
     * max_attempts and the retry budget, so the JDK may make only one attempt per send; a failed connect is
     * reported as itself rather than as "too many retries". The read buffer and the HTTP/2 window bound what one
     * exchange holds ({@link StreamMemory}); an operator's -Djdk.httpclient.bufsize or -Djdk.httpclient.windowsize
     * wins. All are read once, when the JDK client first loads, so they are set at start-up before any client
     * exists: by {@code Main}, and for tests by {@code ClientPropertiesExtension}.
     */
    public static void install() {
        System.setProperty("jdk.httpclient.redirects.retrylimit", "1");
        System.setProperty("jdk.httpclient.disableRetryConnect", "true");
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(BUFSIZE));
        }
        if (System.getProperty("jdk.httpclient.windowsize") == null) {
            System.setProperty("jdk.httpclient.windowsize", String.valueOf(H2_STREAM_WINDOW));
        }
    }
}
