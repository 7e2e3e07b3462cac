package dev.sprox.upstream;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS towards an origin.
 *
 * @param sniHostname        the name sent in SNI and checked in the origin's certificate, instead of the
 *                           origin URL's host
 * @param insecureSkipVerify accept any certificate for any name (logged as a warning at load)
 * @param caCertificate      PEM bundle of the certificate authorities to trust instead of the system's
 * @param clientCertificate  PEM chain and key presented to the origin (mutual TLS)
 */
public record UpstreamTlsConfig(Optional<String> sniHostname, boolean insecureSkipVerify,
                                Optional<Path> caCertificate, Optional<ClientCertificate> clientCertificate) {

    public static final UpstreamTlsConfig DEFAULT = new UpstreamTlsConfig(Optional.empty(), false,
            Optional.empty(), Optional.empty());

    /** @param privateKey PEM, PKCS#8 or traditional RSA/EC */
    public record ClientCertificate(Path certificateChain, Path privateKey) {}
}
