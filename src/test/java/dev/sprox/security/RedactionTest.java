package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void redactsEverySensitiveQueryValue() {
        assertEquals("/p?api_password=REDACTED&token=REDACTED&sig=REDACTED&key=REDACTED&kid=REDACTED"
                        + "&password=REDACTED&d=https://cdn.example/x",
                Redaction.target("/p?api_password=hunter2&token=t&sig=abc&key=k&kid=1&password=pw"
                        + "&d=https://cdn.example/x"));
    }

    @Test
    void keysMatchWithoutCaseAndAfterDecoding() {
        assertEquals("/p?API_PASSWORD=REDACTED&api%5Fpassword=REDACTED",
                Redaction.target("/p?API_PASSWORD=a&api%5Fpassword=b"));
    }

    @Test
    void keepsTargetsWithoutSecretsUnchanged() {
        assertEquals("/health", Redaction.target("/health"));
        assertEquals("/s?bytes=10&&flag", Redaction.target("/s?bytes=10&&flag"));
    }

    @Test
    void undecodableKeyIsTreatedAsSensitive() {
        assertEquals("/p?%zz=REDACTED", Redaction.target("/p?%zz=secret"));
    }
}
