package dev.sprox.server;

/** How the JDK waits for the sockets that virtual threads block on, JVM-wide. */
public final class SocketPolling {
    private SocketPolling() {}

    /**
     * Platform poller threads hand ready connections straight to the scheduler (the JDK's mode 1), where its default
     * (mode 2) runs the pollers as virtual threads under one platform thread. Under load with each process in a
     * scheduling group of its own (the kernel's autogroups, as {@code scripts/bench} starts them), mode 2 left some
     * connections waiting: {@code /health} p99 was 130-215 ms with half its answers under 1 ms, against 17-20 ms in
     * mode 1 at the same rate (wrk -c64, interleaved runs; docs/operations.md). The JDK reads it once, when a virtual
     * thread first blocks on a socket, so {@code Main} sets it first. An operator's -Djdk.pollerMode wins.
     */
    public static void install() {
        if (System.getProperty("jdk.pollerMode") == null) {
            System.setProperty("jdk.pollerMode", "1");
        }
    }
}
