package dev.sprox.drm;

import java.util.Optional;

/**
 * The four Common Encryption schemes (ISO/IEC 23001-7 §10): AES-CTR ({@code cenc}, and {@code cens} with a
 * pattern) or AES-CBC ({@code cbc1}, and {@code cbcs} with a pattern and a chain restarted at every subsample).
 */
public enum CencScheme {
    CENC("cenc", false, false),
    CENS("cens", false, false),
    CBC1("cbc1", true, false),
    CBCS("cbcs", true, true);

    private final String fourCc;
    private final boolean cbc;
    private final boolean ivPerSubsample;

    CencScheme(String fourCc, boolean cbc, boolean ivPerSubsample) {
        this.fourCc = fourCc;
        this.cbc = cbc;
        this.ivPerSubsample = ivPerSubsample;
    }

    public static Optional<CencScheme> of(String fourCc) {
        for (CencScheme scheme : values()) {
            if (scheme.fourCc.equals(fourCc)) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    public String fourCc() {
        return fourCc;
    }

    boolean cbc() {
        return cbc;
    }

    /** Only {@code cenc} encrypts a protected range's last partial block (§10.1); the others leave it clear. */
    boolean partialBlocks() {
        return this == CENC;
    }

    /** {@code cbcs} (§10.4): each subsample's protected bytes start a new CBC chain from the sample's IV. */
    boolean ivPerSubsample() {
        return ivPerSubsample;
    }
}
