package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.direct.DirectAuthorization.Decision;
import dev.sprox.http.Headers;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.security.Secret;
import dev.sprox.security.UrlSigner.HeaderOverride;
import dev.sprox.security.UrlSigner;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DirectAuthorizationTest {
    private static final String DESTINATION = "https://cdn.example.net/vod/seg-1.ts?token=t";
    private static final List<HeaderOverride> OVERRIDES = List.of(new HeaderOverride("referer", "https://site/"));
    private static final long NOW = 1_800_000_000L;
    private static final Secret PASSWORD = new Secret("pw-for-tests");
    private static final Secret SIGNING = new Secret("signing-for-tests");

    private static final DirectCredentials PASSWORD_AND_SIGNING = DirectCredentials.of(Optional.of(PASSWORD),
            Optional.of(SIGNING));
    private static final DirectCredentials SIGNED_ONLY = DirectCredentials.of(Optional.empty(), Optional.of(SIGNING));

    private static Decision decide(DirectCredentials credentials, Headers headers, String rawQuery) {
        return DirectAuthorization.decide(credentials, headers, QueryParameters.parse(rawQuery), DESTINATION,
                OVERRIDES, NOW);
    }

    private static String signedQuery(long exp) {
        return "exp=" + exp + "&sig=" + new UrlSigner(SIGNING).sign(DESTINATION, OVERRIDES, exp);
    }

    private static Decision.Refused refused(RequestError error, Decision decision) {
        var refused = assertInstanceOf(Decision.Refused.class, decision);
        assertEquals(error, refused.error(), refused.reason());
        return refused;
    }

    @Test
    void withoutPasswordOrSigningSecretEverythingIsOpen() {
        assertEquals(new Decision.Open(), decide(DirectCredentials.OPEN, Headers.EMPTY, null));
        assertEquals(new Decision.Open(), decide(DirectCredentials.OPEN, Headers.EMPTY, "api_password=x&sig=y"));
    }

    @Test
    void theRightPasswordAllowsFromEachPlace() {
        assertEquals(new Decision.ByPassword(), decide(PASSWORD_AND_SIGNING,
                Headers.of("X-Sprox-Api-Password", "pw-for-tests"), null));
        assertEquals(new Decision.ByPassword(), decide(PASSWORD_AND_SIGNING,
                Headers.of("Authorization", "Bearer pw-for-tests"), null));
        assertEquals(new Decision.ByPassword(), decide(PASSWORD_AND_SIGNING, Headers.EMPTY,
                "api_password=pw-for-tests"));
    }

    @Test
    void nothingPresentedIsUnauthenticatedAndNoGuess() {
        var refused = refused(RequestError.UNAUTHENTICATED, decide(PASSWORD_AND_SIGNING, Headers.EMPTY, null));
        assertEquals(false, refused.guess());
    }

    @Test
    void aWrongPasswordIsForbiddenAndAGuess() {
        var refused = refused(RequestError.FORBIDDEN, decide(PASSWORD_AND_SIGNING,
                Headers.of("X-Sprox-Api-Password", "nope"), null));
        assertEquals(true, refused.guess());
        assertEquals("the API password is not valid", refused.reason());
    }

    @Test
    void disagreeingPasswordsAreABadRequest() {
        refused(RequestError.BAD_PARAMETER, decide(PASSWORD_AND_SIGNING,
                Headers.of("X-Sprox-Api-Password", "pw-for-tests"), "api_password=other"));
    }

    @Test
    void aValidSignatureAllowsUntilItsExpiry() {
        assertEquals(new Decision.BySignature(NOW + 60), decide(PASSWORD_AND_SIGNING, Headers.EMPTY,
                signedQuery(NOW + 60)));
    }

    @Test
    void anExpiredSignatureIsForbiddenButNoGuess() {
        var refused = refused(RequestError.FORBIDDEN, decide(PASSWORD_AND_SIGNING, Headers.EMPTY, signedQuery(NOW)));
        assertEquals("the signed URL has expired", refused.reason());
        assertEquals(false, refused.guess());
    }

    @Test
    void aSignatureForAnotherRequestIsForbidden() {
        String sig = new UrlSigner(SIGNING).sign(DESTINATION + "x", OVERRIDES, NOW + 60);
        var refused = refused(RequestError.FORBIDDEN, decide(PASSWORD_AND_SIGNING, Headers.EMPTY,
                "exp=" + (NOW + 60) + "&sig=" + sig));
        assertEquals("the URL signature does not match this request", refused.reason());
        assertEquals(true, refused.guess());
    }

    @Test
    void halfASignatureIsMalformed() {
        var refused = refused(RequestError.FORBIDDEN, decide(PASSWORD_AND_SIGNING, Headers.EMPTY, "exp=" + NOW));
        assertEquals("the URL signature is malformed: a signed URL needs both exp and sig", refused.reason());
    }

    @Test
    void eitherCredentialSufficesWhenBothAreOffered() {
        assertEquals(new Decision.BySignature(NOW + 60), decide(PASSWORD_AND_SIGNING,
                Headers.of("Authorization", "Bearer someone-elses-token"), signedQuery(NOW + 60)));
        assertEquals(new Decision.ByPassword(), decide(PASSWORD_AND_SIGNING,
                Headers.of("X-Sprox-Api-Password", "pw-for-tests"), "exp=1&sig=x"));
    }

    @Test
    void whenBothFailThePasswordIsWhatTheClientHearsAbout() {
        var refused = refused(RequestError.FORBIDDEN, decide(PASSWORD_AND_SIGNING,
                Headers.of("X-Sprox-Api-Password", "nope"), signedQuery(NOW)));
        assertEquals("the API password is not valid", refused.reason());
    }

    @Test
    void signedOnlyAcceptsSignaturesAndNoPassword() {
        assertEquals(new Decision.BySignature(NOW + 60), decide(SIGNED_ONLY, Headers.EMPTY, signedQuery(NOW + 60)));
        refused(RequestError.UNAUTHENTICATED, decide(SIGNED_ONLY, Headers.EMPTY, null));
        refused(RequestError.FORBIDDEN, decide(SIGNED_ONLY, Headers.of("X-Sprox-Api-Password", "anything"), null));
    }

    @Test
    void withoutASigningSecretTheProcessKeySigns() {
        var passwordOnly = DirectCredentials.of(Optional.of(PASSWORD), Optional.empty());
        String sig = UrlSigner.processKey().sign(DESTINATION, OVERRIDES, NOW + 60);
        assertEquals(new Decision.BySignature(NOW + 60), decide(passwordOnly, Headers.EMPTY,
                "exp=" + (NOW + 60) + "&sig=" + sig));
        refused(RequestError.FORBIDDEN, decide(passwordOnly, Headers.EMPTY, signedQuery(NOW + 60)));
    }

    @Test
    void decryptingIsNeverOpenAndItsParametersAreSigned() {
        var parameters = Decryption.playlist(Optional.empty()).signed();
        long exp = NOW + 60;
        String sig = DirectCredentials.OPEN.signer().sign(DESTINATION, OVERRIDES, parameters, exp);
        refused(RequestError.UNAUTHENTICATED, DirectAuthorization.decide(DirectCredentials.OPEN, Headers.EMPTY,
                QueryParameters.parse("decrypt=1"), DESTINATION, OVERRIDES, parameters, NOW));
        assertEquals(new Decision.BySignature(exp), DirectAuthorization.decide(DirectCredentials.OPEN, Headers.EMPTY,
                QueryParameters.parse("decrypt=1&exp=" + exp + "&sig=" + sig), DESTINATION, OVERRIDES, parameters,
                NOW));
        // A URL signed without decrypt does not open with it, under any credentials.
        refused(RequestError.FORBIDDEN, DirectAuthorization.decide(SIGNED_ONLY, Headers.EMPTY,
                QueryParameters.parse(signedQuery(exp)), DESTINATION, OVERRIDES, parameters, NOW));
        assertEquals(new Decision.ByPassword(), DirectAuthorization.decide(PASSWORD_AND_SIGNING,
                Headers.of("X-Sprox-Api-Password", "pw-for-tests"), QueryParameters.parse("decrypt=1"), DESTINATION,
                OVERRIDES, parameters, NOW));
    }
}
