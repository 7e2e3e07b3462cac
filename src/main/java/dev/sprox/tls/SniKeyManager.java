package dev.sprox.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses a listener's certificate by the client's SNI name, from a set that can be swapped while the listener
 * serves. JSSE asks for an alias, then for the chain and the key of that alias in separate calls; an alias names
 * the set's generation, so a swap between those calls still hands out a matching chain and key (the previous
 * set is kept for exactly this). Open connections never look here again: a swap affects new handshakes only.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private record Generation(long number, CertificateSet certificates) {}

    private volatile Generation current;
    private volatile Generation previous;

    SniKeyManager(CertificateSet certificates) {
        this.current = new Generation(1, certificates);
        this.previous = current;
    }

    CertificateSet certificates() {
        return current.certificates();
    }

    /** Only the reload path swaps, one swap at a time (the caller holds the listener's reload lock). */
    void swap(CertificateSet certificates) {
        Generation old = current;
        previous = old;
        current = new Generation(old.number() + 1, certificates);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket tls ? tls.getHandshakeSession() : null);
    }

    private String choose(String keyType, SSLSession handshake) {
        Generation generation = current;
        return generation.certificates().choose(keyType, serverName(handshake))
                .map(index -> generation.number() + ":" + index).orElse(null);
    }

    private static Optional<String> serverName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return certificate(alias).map(c -> c.key().chain().toArray(X509Certificate[]::new)).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return certificate(alias).map(c -> c.key().key()).orElse(null);
    }

    private Optional<ServerCertificate> certificate(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        long number;
        int index;
        try {
            number = Long.parseLong(alias.substring(0, colon));
            index = Integer.parseInt(alias.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        for (Generation generation : List.of(current, previous)) {
            List<ServerCertificate> certificates = generation.certificates().certificates();
            if (generation.number() == number && index >= 0 && index < certificates.size()) {
                return Optional.of(certificates.get(index));
            }
        }
        return Optional.empty();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation generation = current;
        List<ServerCertificate> certificates = generation.certificates().certificates();
        String[] aliases = IntStream.range(0, certificates.size())
                .filter(i -> certificates.get(i).keyType().equals(keyType))
                .mapToObj(i -> generation.number() + ":" + i).toArray(String[]::new);
        return aliases.length == 0 ? null : aliases;
    }

    // A server key manager: sprox never authenticates itself as a TLS client with these certificates.
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
