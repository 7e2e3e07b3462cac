package dev.sprox.upstream;

import dev.sprox.config.Socks5Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.time.Duration;

public final class Socks5Bridge implements AutoCloseable {
    public static Socks5Bridge start(Socks5Config socks, Duration connectTimeout) throws IOException {
        throw new IOException("PLACEHOLDER");
    }

    public InetSocketAddress address() {
        return null;
    }

    public ProxySelector proxySelector() {
        return null;
    }

    @Override
    public void close() {
    }
}
