package dev.sprox.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** The X.509 certificates in the CERTIFICATE blocks of a PEM file, in file order; other blocks are skipped. */
public final class PemCertificates {

    private PemCertificates() {}

    public static List<X509Certificate> read(Path path, String description) throws IOException, CertificateException {
        PemFile file = PemFile.read(path, description);
        List<PemFile.Block> blocks = file.blocksLabelled("CERTIFICATE");
        if (blocks.isEmpty()) {
            throw file.problem("no -----BEGIN CERTIFICATE----- block");
        }
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemFile.Block block : blocks) {
            try {
                certificates.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(block.content())));
            } catch (CertificateException e) {
                throw file.problem("certificate " + (certificates.size() + 1) + " is not a valid X.509 certificate: "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(certificates);
    }
}
