package dev.sprox.config;

import dev.sprox.security.Secret;
import dev.sprox.tls.CertificateHost;
import dev.sprox.tls.CertifiedKey;
import dev.sprox.tls.ServerCertificate;
import dev.sprox.tls.TlsConfig;
import dev.sprox.tls.TlsPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds a listener's {@code tls} block. The certificate files are read and checked here, so {@code sprox validate},
 * start-up and reload all refuse a key that does not match, a chain out of order, an expired certificate or a
 * host it does not cover, each at the line that names it.
 */
final class TlsBinder {
    /** A year: what HSTS preload lists require, and long enough to matter. */
    private static final long PRELOAD_MIN_AGE_SECS = 31_536_000;

    private TlsBinder() {}

    static Optional<TlsConfig> tls(Fields tls) {
        List<TlsConfig.Certificate> certificates = certificates(tls);
        boolean watch = tls.bool("watch_for_changes").orElse(false);
        Optional<Duration> recheck = tls.has("recheck_interval_ms") ? tls.millis("recheck_interval_ms")
                : Optional.of(Duration.ofMinutes(1));
        int warningDays = tls.integer("expiry_warning_days", 0, 365).orElse(14L).intValue();
        List<String> protocols = tls.has("protocols") ? protocols(tls) : TlsPolicy.DEFAULT_PROTOCOLS;
        List<String> suites = tls.has("cipher_suites") ? cipherSuites(tls) : TlsPolicy.DEFAULT_CIPHER_SUITES;
        TlsConfig.Session session = tls.mapping("session").map(TlsBinder::session).orElse(TlsConfig.Session.DEFAULT);
        Optional<TlsConfig.Hsts> hsts = tls.mapping("hsts").flatMap(TlsBinder::hsts);
        Optional<TlsConfig.Acme> acme = tls.mapping("acme").flatMap(TlsBinder::acme);
        tls.rejectUnknown();
        if (certificates.isEmpty() || recheck.isEmpty() || protocols.isEmpty() || suites.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TlsConfig(certificates, watch, recheck.get(), warningDays, protocols, suites, session,
                hsts, acme));
    }

    private static List<TlsConfig.Certificate> certificates(Fields tls) {
        if (!tls.has("certificates")) {
            tls.missing("certificates");
            return List.of();
        }
        List<Fields.Item> items = tls.list("certificates");
        if (items.isEmpty()) {
            tls.problem("certificates", "must list at least one certificate");
        }
        var certificates = new ArrayList<TlsConfig.Certificate>();
        boolean complete = true;
        for (Fields.Item item : items) {
            Optional<TlsConfig.Certificate> certificate = Fields.of(item.node(), item.path(), tls.context())
                    .flatMap(TlsBinder::certificate);
            certificate.ifPresent(certificates::add);
            complete &= certificate.isPresent();
        }
        return complete ? certificates : List.of();
    }

    private static Optional<TlsConfig.Certificate> certificate(Fields entry) {
        List<Fields.Item> hostItems = entry.list("hosts");
        if (!entry.has("hosts")) {
            entry.missing("hosts");
        } else if (hostItems.isEmpty()) {
            entry.problem("hosts", "must name at least one host");
        }
        var hosts = new ArrayList<CertificateHost>();
        var names = new ArrayList<String>();
        for (Fields.Item item : hostItems) {
            Values.string(item.node(), item.path(), entry.context()).ifPresent(name -> CertificateHost.parse(name)
                    .ifPresentOrElse(host -> {
                        hosts.add(host);
                        names.add(host.name());
                    }, () -> entry.context().problems().add(item.node().source(), item.path(),
                            "not a host name or a wildcard for one label (*.example.com): \"" + name + "\"")));
        }
        if (!entry.has("certificate_path")) {
            entry.missing("certificate_path");
        }
        if (!entry.has("private_key_path")) {
            entry.missing("private_key_path");
        }
        Optional<Path> certificatePath = entry.readableFile("certificate_path");
        Optional<Path> keyPath = entry.readableFile("private_key_path");
        Optional<Secret> password = entry.string("private_key_password").map(Secret::new);
        entry.rejectUnknown();
        if (hosts.size() != hostItems.size() || hosts.isEmpty() || certificatePath.isEmpty() || keyPath.isEmpty()) {
            return Optional.empty();
        }
        var certificate = new TlsConfig.Certificate(names, certificatePath.get(), keyPath.get(), password);
        try {
            ServerCertificate.load(certificate, hosts, Instant.now());
        } catch (CertifiedKey.Refused e) {
            entry.problem(e.file() == CertifiedKey.File.CERTIFICATE ? "certificate_path" : "private_key_path",
                    e.getMessage());
            return Optional.empty();
        } catch (ServerCertificate.HostNotCovered e) {
            Fields.Item host = hostItems.get(e.index());
            entry.context().problems().add(host.node().source(), host.path(), e.getMessage());
            return Optional.empty();
        }
        return Optional.of(certificate);
    }

    private static List<String> protocols(Fields tls) {
        var protocols = new ArrayList<String>();
        for (Fields.Item item : tls.list("protocols")) {
            Values.string(item.node(), item.path(), tls.context()).ifPresent(protocol -> TlsPolicy
                    .refuseProtocol(protocol).ifPresentOrElse(
                            why -> tls.context().problems().add(item.node().source(), item.path(), why),
                            () -> protocols.add(protocol)));
        }
        return protocols;
    }

    private static List<String> cipherSuites(Fields tls) {
        var suites = new ArrayList<String>();
        for (Fields.Item item : tls.list("cipher_suites")) {
            Values.string(item.node(), item.path(), tls.context()).ifPresent(suite -> TlsPolicy
                    .refuseCipherSuite(suite).ifPresentOrElse(
                            why -> tls.context().problems().add(item.node().source(), item.path(), why),
                            () -> suites.add(suite)));
        }
        return suites.isEmpty() ? suites : TlsPolicy.withTls13Suites(suites);
    }

    private static TlsConfig.Session session(Fields session) {
        var defaults = TlsConfig.Session.DEFAULT;
        int cacheSize = session.integer("cache_size", 0, 10_000_000).orElse((long) defaults.cacheSize()).intValue();
        long timeout = session.integer("timeout_secs", 1, 604_800).orElse(defaults.timeoutSecs());
        boolean tickets = session.bool("tickets").orElse(defaults.tickets());
        session.rejectUnknown();
        return new TlsConfig.Session(cacheSize, timeout, tickets);
    }

    private static Optional<TlsConfig.Hsts> hsts(Fields hsts) {
        Optional<Long> maxAge = hsts.has("max_age_secs") ? hsts.integer("max_age_secs", 0, 2 * PRELOAD_MIN_AGE_SECS)
                : Optional.of(PRELOAD_MIN_AGE_SECS);
        boolean subdomains = hsts.bool("include_subdomains").orElse(false);
        boolean preload = hsts.bool("preload").orElse(false);
        hsts.rejectUnknown();
        if (preload && (!subdomains || maxAge.orElse(PRELOAD_MIN_AGE_SECS) < PRELOAD_MIN_AGE_SECS)) {
            hsts.problem("preload", "preload lists require include_subdomains: true and max_age_secs of at least "
                    + PRELOAD_MIN_AGE_SECS + " (a year)");
            return Optional.empty();
        }
        return maxAge.map(age -> new TlsConfig.Hsts(age, subdomains, preload));
    }

    private static Optional<TlsConfig.Acme> acme(Fields acme) {
        Optional<String> path = acme.requiredString("cache_path").map(String::strip);
        acme.rejectUnknown();
        path.filter(String::isEmpty).ifPresent(empty -> acme.problem("cache_path", "must not be empty"));
        return path.filter(p -> !p.isEmpty())
                .map(p -> new TlsConfig.Acme(acme.context().interpolation().baseDirectory().resolve(p)));
    }
}
