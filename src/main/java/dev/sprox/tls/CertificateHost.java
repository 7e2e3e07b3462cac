package dev.sprox.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A host name a certificate is served for: exact ({@code vod.example.com}) or a wildcard for exactly one more
 * label ({@code *.vod.example.com}), as certificates themselves match (RFC 6125 §6.4.3). Route host patterns
 * match subdomains at any depth; a certificate never does, so the two are kept apart.
 */
public record CertificateHost(String name) {

    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private static final String HOST = LABEL + "(?:\\." + LABEL + ")*";

    /** Lower case, without a trailing dot; empty when {@code text} is neither a host name nor a wildcard. */
    public static Optional<CertificateHost> parse(String text) {
        String normal = normalise(text.strip());
        return normal.matches("(?:\\*\\.)?" + HOST) ? Optional.of(new CertificateHost(normal)) : Optional.empty();
    }

    public boolean isWildcard() {
        return name.startsWith("*.");
    }

    /** Whether a client asking for {@code serverName} (SNI) gets this certificate. */
    public boolean matches(String serverName) {
        String candidate = normalise(serverName);
        return isWildcard() ? oneLabelUnder(candidate, name.substring(2)) : candidate.equals(name);
    }

    /** Whether a client would accept {@code certificate} for this host: some DNS subjectAltName matches it. */
    public boolean coveredBy(X509Certificate certificate) {
        for (String san : dnsNames(certificate)) {
            String pattern = normalise(san);
            if (pattern.equals(name)) {
                return true;
            }
            if (!isWildcard() && pattern.startsWith("*.") && oneLabelUnder(name, pattern.substring(2))) {
                return true;
            }
        }
        return false;
    }

    /** The certificate's DNS subjectAltNames; the subject CN is not consulted (RFC 6125 §6.4.4: clients ignore it). */
    public static List<String> dnsNames(X509Certificate certificate) {
        var names = new ArrayList<String>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add((String) alternative.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return names;
    }

    private static boolean oneLabelUnder(String candidate, String domain) {
        return candidate.endsWith("." + domain)
                && candidate.indexOf('.') == candidate.length() - domain.length() - 1
                && candidate.length() > domain.length() + 1;
    }

    private static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
