package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The store's arrays are read after each way a key can leave: every one must be zeros by then. */
class ContentKeyStoreTest {
    private static final byte[] ZEROS = new byte[16];
    private static final Kid KID_A = Kid.parse(TestSecrets.KID_A).orElseThrow();
    private static final Kid KID_B = Kid.parse(TestSecrets.KID_B).orElseThrow();

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();

    private static ContentKey key(String hex) {
        return ContentKey.parse(hex).orElseThrow();
    }

    @Test
    void handsOutCopiesThatTheTakerWipes() {
        var store = new ContentKeyStore(clock, 10);
        ContentKey stored = key(TestSecrets.CONTENT_KEY_A);
        store.putStatic(KID_A, stored);
        ContentKeyStore.Found found = store.copy(KID_A).orElseThrow();
        assertEquals(KeySource.STATIC, found.source());
        found.key().close();
        assertArrayEquals(ZEROS, found.key().material());
        assertArrayEquals(HexFormat.of().parseHex(TestSecrets.CONTENT_KEY_A), stored.material());
    }

    @Test
    void anExpiredKeyIsWipedAndGone() {
        var store = new ContentKeyStore(clock, 10);
        ContentKey stored = key(TestSecrets.CONTENT_KEY_B);
        store.put(KID_B, stored, Duration.ofSeconds(60));
        assertTrue(store.copy(KID_B).isPresent());
        now.set(now.get().plusSeconds(60));
        store.purgeExpired();
        assertArrayEquals(ZEROS, stored.material());
        assertEquals(Optional.empty(), store.copy(KID_B));
    }

    @Test
    void theOldestKeyIsEvictedAndWipedPastCapacity() {
        var store = new ContentKeyStore(clock, 1);
        ContentKey first = key(TestSecrets.CONTENT_KEY_A);
        store.put(KID_A, first, Duration.ofSeconds(60));
        store.put(KID_B, key(TestSecrets.CONTENT_KEY_B), Duration.ofSeconds(60));
        assertArrayEquals(ZEROS, first.material());
        assertEquals(Optional.empty(), store.copy(KID_A));
        assertTrue(store.copy(KID_B).isPresent());
    }

    @Test
    void aReplacedKeyIsWiped() {
        var store = new ContentKeyStore(clock, 10);
        ContentKey first = key(TestSecrets.CONTENT_KEY_A);
        store.put(KID_A, first, Duration.ofSeconds(60));
        store.put(KID_A, key(TestSecrets.CONTENT_KEY_B), Duration.ofSeconds(60));
        assertArrayEquals(ZEROS, first.material());
    }

    @Test
    void closingWipesEveryKeyAndRefusesLaterOnes() {
        var store = new ContentKeyStore(clock, 10);
        ContentKey fixed = key(TestSecrets.CONTENT_KEY_A);
        ContentKey cached = key(TestSecrets.CONTENT_KEY_B);
        store.putStatic(KID_A, fixed);
        store.put(KID_B, cached, Duration.ofSeconds(60));
        store.close();
        assertArrayEquals(ZEROS, fixed.material());
        assertArrayEquals(ZEROS, cached.material());
        ContentKey late = key(TestSecrets.CONTENT_KEY_B);
        store.put(KID_B, late, Duration.ofSeconds(60));
        assertArrayEquals(ZEROS, late.material());
        assertEquals(Optional.empty(), store.copy(KID_B));
    }

    @Test
    void listsKidsSourcesAndExpiryButNoKeys() {
        var store = new ContentKeyStore(clock, 10);
        store.putStatic(KID_A, key(TestSecrets.CONTENT_KEY_A));
        store.put(KID_B, key(TestSecrets.CONTENT_KEY_B), Duration.ofSeconds(30));
        assertEquals(List.of(new ContentKeyStore.Listing(KID_A, KeySource.STATIC, Optional.empty()),
                new ContentKeyStore.Listing(KID_B, KeySource.KEY_SERVER,
                        Optional.of(Instant.parse("2026-01-01T00:00:30Z")))), store.list());
        assertTrue(!store.list().toString().contains(TestSecrets.CONTENT_KEY_A));
    }
}
