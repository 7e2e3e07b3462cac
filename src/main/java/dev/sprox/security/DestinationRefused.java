package dev.sprox.security;

/** A destination failed {@link DestinationGuard#admit}; the message (for logs) names host and address. */
public final class DestinationRefused extends Exception {
    private final Refusal refusal;

    public DestinationRefused(Refusal refusal) {
        super(refusal.toString(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
