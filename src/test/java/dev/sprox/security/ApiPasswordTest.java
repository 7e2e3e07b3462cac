package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.Headers;
import dev.sprox.http.QueryParameters;
import dev.sprox.security.ApiPassword.Check;
import org.junit.jupiter.api.Test;

class ApiPasswordTest {
    private final ApiPassword password = new ApiPassword(new Secret("s3cret-pw"));

    private Check check(Headers headers, String rawQuery) {
        return password.check(headers, QueryParameters.parse(rawQuery));
    }

    @Test
    void acceptsTheHeader() {
        assertEquals(new Check.Accepted(), check(Headers.of("X-Sprox-Api-Password", "s3cret-pw"), null));
    }

    @Test
    void acceptsABearerTokenWhateverTheSchemeCase() {
        assertEquals(new Check.Accepted(), check(Headers.of("Authorization", "Bearer s3cret-pw"), null));
        assertEquals(new Check.Accepted(), check(Headers.of("Authorization", "bearer   s3cret-pw "), null));
    }

    @Test
    void acceptsTheQueryParameterDecoded() {
        assertEquals(new Check.Accepted(), check(Headers.EMPTY, "d=x&api_password=s3cret%2Dpw"));
    }

    @Test
    void nothingPresentedIsMissing() {
        assertEquals(new Check.Missing(), check(Headers.EMPTY, "d=x"));
    }

    @Test
    void blankValuesCountAsAbsent() {
        assertEquals(new Check.Missing(), check(Headers.of("X-Sprox-Api-Password", " ", "Authorization", "Bearer  "),
                "api_password="));
    }

    @Test
    void anotherAuthorizationSchemeIsNotAPassword() {
        assertEquals(new Check.Missing(), check(Headers.of("Authorization", "Basic czNjcmV0LXB3"), null));
        assertEquals(new Check.Missing(), check(Headers.of("Authorization", "Bearers3cret-pw"), null));
    }

    @Test
    void aWrongValueIsWrongInEveryPlace() {
        assertEquals(new Check.Wrong(), check(Headers.of("X-Sprox-Api-Password", "s3cret-pX"), null));
        assertEquals(new Check.Wrong(), check(Headers.of("Authorization", "Bearer s3cret-pw-and-more"), null));
        assertEquals(new Check.Wrong(), check(Headers.EMPTY, "api_password=s3cret"));
    }

    @Test
    void theComparisonIsExactApartFromSurroundingWhitespace() {
        assertEquals(new Check.Wrong(), check(Headers.of("X-Sprox-Api-Password", "S3CRET-PW"), null));
        assertEquals(new Check.Accepted(), check(Headers.EMPTY, "api_password=+s3cret-pw+"));
    }

    @Test
    void theSameValueInSeveralPlacesIsAccepted() {
        assertEquals(new Check.Accepted(), check(Headers.of("X-Sprox-Api-Password", "s3cret-pw",
                "Authorization", "Bearer s3cret-pw"), "api_password=s3cret-pw"));
    }

    @Test
    void differentValuesInDifferentPlacesConflictEvenWhenOneIsRight() {
        assertEquals(new Check.Conflicting(), check(Headers.of("X-Sprox-Api-Password", "s3cret-pw",
                "Authorization", "Bearer other"), null));
        assertEquals(new Check.Conflicting(), check(Headers.of("Authorization", "Bearer s3cret-pw"),
                "api_password=other"));
        assertEquals(new Check.Conflicting(), check(Headers.of("X-Sprox-Api-Password", "other"),
                "api_password=s3cret-pw"));
    }

    @Test
    void differentValuesInOnePlaceConflict() {
        assertEquals(new Check.Conflicting(), check(Headers.EMPTY, "api_password=s3cret-pw&api_password=x"));
        assertEquals(new Check.Conflicting(), check(Headers.of("X-Sprox-Api-Password", "s3cret-pw",
                "X-Sprox-Api-Password", "x"), null));
    }

    @Test
    void aBasicHeaderBesideThePasswordIsNoConflict() {
        assertEquals(new Check.Accepted(), check(Headers.of("Authorization", "Basic Zm9vOmJhcg=="),
                "api_password=s3cret-pw"));
    }

    @Test
    void tellsWhetherAnyPasswordIsPresented() {
        assertTrue(ApiPassword.isPresented(Headers.of("Authorization", "Bearer x"), QueryParameters.parse(null)));
        assertFalse(ApiPassword.isPresented(Headers.of("Authorization", "Basic x"), QueryParameters.parse("d=1")));
    }

    @Test
    void refusesABlankConfiguredPassword() {
        assertThrows(IllegalArgumentException.class, () -> new ApiPassword(new Secret("  ")));
    }
}
