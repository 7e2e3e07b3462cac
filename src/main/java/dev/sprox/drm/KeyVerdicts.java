package dev.sprox.drm;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys found not to decrypt their content, remembered so that every track and segment under the same KID is refused
 * at once: audio gives a wrong key away in its first samples, a video track alone only over many segments
 * ({@link NalUnits}). A key is remembered by a keyed hash of its KID and bytes, never the bytes, under a secret made
 * at random for this instance (one per configuration), so a corrected key is a new one and a reload forgets them
 * all. At most {@value #MAX_ENTRIES}, the oldest forgotten first. Thread-safe.
 */
public final class KeyVerdicts {
    static final int MAX_ENTRIES = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec secret;
    private final Set<String> wrong = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_ENTRIES;
                }
            }));

    public KeyVerdicts() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        this.secret = new SecretKeySpec(random, "HmacSHA256");
    }

    boolean knownWrong(Kid kid, ContentKey key) {
        return !wrong.isEmpty() && wrong.contains(fingerprint(kid, key));
    }

    void remember(Kid kid, ContentKey key) {
        wrong.add(fingerprint(kid, key));
    }

    private String fingerprint(Kid kid, ContentKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            mac.update(kid.bytes());
            return HexFormat.of().formatHex(mac.doFinal(key.material()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
