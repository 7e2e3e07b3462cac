package dev.sprox.direct;

import dev.sprox.http.QueryParameters;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A query string decoded the way a player's request reaches a handler (percent-escapes, '+' as space). */
final class QueryText {
    private QueryText() {}

    static List<QueryParameters.Parameter> decode(String rawQuery) {
        var parameters = new ArrayList<QueryParameters.Parameter>();
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new QueryParameters.Parameter(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return parameters;
    }
}
