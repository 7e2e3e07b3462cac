package dev.sprox.upstream;

import dev.sprox.config.UpstreamTlsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

public final class UpstreamTls {
    private UpstreamTls() {}

    public static SSLContext sslContext(UpstreamTlsConfig config) throws GeneralSecurityException, IOException {
        if (!config.equals(UpstreamTlsConfig.DEFAULT)) {
            throw new IOException("PLACEHOLDER");
        }
        return SSLContext.getDefault();
    }
}
