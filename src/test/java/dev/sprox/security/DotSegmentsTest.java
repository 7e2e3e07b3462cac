package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotSegmentsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "/a/../b, true",
            "/a/./b, true",
            "/%2e%2e/x, true",
            "/..%2fx, true",
            "/..%5cx, true",
            "/..;/admin, true",
            "/..;jsessionid=1/admin, true",
            "/.;x/b, true",
            "/%2E%2E;/admin, true",
            "/..%3b/admin, true",
            "/.%3B/a, true",
            "/vod/.., true",
            "/vod/a;v=1/b.ts, false",
            "/vod/...;x/b.ts, false",
            "/vod/..a/b, false",
            "/vod/a../b, false",
            "/vod/;/b, false"})
    void dotSegmentsCountWithTheirParametersAndEveryEncoding(String path, boolean present) {
        assertEquals(present, DotSegments.present(path));
    }
}
