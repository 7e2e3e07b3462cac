package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderOverridesTest {

    private static HeaderOverrides parse(String rawQuery) {
        return HeaderOverrides.parse(QueryText.decode(rawQuery));
    }

    @Test
    void underscoresStandForDashesAndNamesAreCaseInsensitive() {
        assertEquals(Map.of("user-agent", "Kodi/21", "referer", "https://site.example/"),
                parse("d=x&h_user_agent=Kodi%2F21&h_Referer=https%3A%2F%2Fsite.example%2F").values());
    }

    @Test
    void laterParameterForTheSameHeaderWins() {
        assertEquals(Map.of("user-agent", "second"), parse("h_user-agent=first&h_User_Agent=second").values());
    }

    @Test
    void headerOutsideTheAllowlistIsRefusedByName() {
        var refused = assertThrows(RequestRejected.class, () -> parse("h_authorization=Bearer%20x"));
        assertEquals(RequestError.BAD_PARAMETER, refused.error());
        assertEquals("header override \"authorization\" is not allowed", refused.detail());
    }

    @Test
    void cookieAndHostCannotBeSet() {
        assertThrows(RequestRejected.class, () -> parse("h_cookie=a%3Db"));
        assertThrows(RequestRejected.class, () -> parse("h_host=internal"));
    }

    @Test
    void crlfInAValueIsRefusedNamingTheHeader() {
        var refused = assertThrows(RequestRejected.class,
                () -> parse("h_user_agent=x%0D%0AX-Injected%3A%201"));
        assertEquals("header override \"user-agent\" has an invalid value", refused.detail());
    }

    @Test
    void nulAndNonAsciiValuesAreRefused() {
        assertThrows(RequestRejected.class, () -> parse("h_referer=a%00b"));
        assertThrows(RequestRejected.class, () -> parse("h_referer=caf%C3%A9"));
    }

    @Test
    void aNameThatIsNotATokenIsRefusedWithoutEchoingControlCharacters() {
        var refused = assertThrows(RequestRejected.class, () -> parse("h_user%0Aagent=x"));
        assertEquals("header override \"user?agent\" is not a header name", refused.detail());
    }

    @Test
    void onlyAllowlistedClientHeadersGoUpstreamAndOverridesReplaceThem() {
        Headers incoming = Headers.of("Range", "bytes=0-99", "Cookie", "session=1", "Authorization", "Basic x",
                "User-Agent", "Player/1", "X-Forwarded-For", "10.0.0.1", "Host", "sprox.example",
                "Accept", "*/*", "Accept", "video/*");
        Headers upstream = DirectRequestHeaders.forUpstream(incoming, parse("h_user_agent=Override%2F2"));
        assertEquals(Headers.of("Range", "bytes=0-99", "Accept", "*/*", "Accept", "video/*",
                "user-agent", "Override/2").fields(), upstream.fields());
    }
}
