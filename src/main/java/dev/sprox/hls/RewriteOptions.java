package dev.sprox.hls;

import java.util.Map;

/**
 * Limits and context of one rewrite.
 *
 * @param maxChars           longest playlist accepted, in chars; longer input is refused before any work
 * @param maxUriChars        longest URI accepted, written or after variable substitution (bounds what
 *                           nested {@code {$name}} references can expand to)
 * @param maxOutputChars     longest rewritten playlist, in chars; checked as it is written, so a small playlist
 *                           whose variables and mapped URIs would expand it to gigabytes fails at the limit,
 *                           having built no more than the limit and one URI
 * @param importedVariables  values for EXT-X-DEFINE:IMPORT, i.e. the variables of the multivariant playlist
 *                           that led to this one; an IMPORT not found here fails only if a URI uses it
 * @param inlineQueryParameters write each {@code EXT-X-DEFINE:QUERYPARAM} as the {@code NAME}/{@code VALUE}
 *                           definition it amounts to here: for a client whose URL for the playlist is not the
 *                           playlist's own (the direct endpoints), so it lacks the parameter. The parameter must
 *                           then be in the playlist URL (RFC 8216bis §4.4.2.3: otherwise the playlist is invalid)
 */
public record RewriteOptions(int maxChars, int maxUriChars, int maxOutputChars, Map<String, String> importedVariables,
                             boolean inlineQueryParameters) {

    public static final int DEFAULT_MAX_CHARS = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_URI_CHARS = 16 * 1024;
    public static final int DEFAULT_MAX_OUTPUT_CHARS = 16 * 1024 * 1024;

    public RewriteOptions {
        if (maxChars <= 0 || maxUriChars <= 0 || maxOutputChars <= 0) {
            throw new IllegalArgumentException("limits must be positive: maxChars=" + maxChars + ", maxUriChars="
                    + maxUriChars + ", maxOutputChars=" + maxOutputChars);
        }
        importedVariables = Map.copyOf(importedVariables);
    }

    public static RewriteOptions defaults() {
        return new RewriteOptions(DEFAULT_MAX_CHARS, DEFAULT_MAX_URI_CHARS, DEFAULT_MAX_OUTPUT_CHARS, Map.of(),
                false);
    }

    public RewriteOptions withMaxChars(int limit) {
        return new RewriteOptions(limit, maxUriChars, maxOutputChars, importedVariables, inlineQueryParameters);
    }

    public RewriteOptions withMaxOutputChars(int limit) {
        return new RewriteOptions(maxChars, maxUriChars, limit, importedVariables, inlineQueryParameters);
    }

    public RewriteOptions withImportedVariables(Map<String, String> variables) {
        return new RewriteOptions(maxChars, maxUriChars, maxOutputChars, variables, inlineQueryParameters);
    }

    public RewriteOptions withQueryParametersInlined() {
        return new RewriteOptions(maxChars, maxUriChars, maxOutputChars, importedVariables, true);
    }
}
