package dev.sprox.hls;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tags whose attributes hold URIs, and what each such attribute points at. */
enum UriTag {
    KEY("EXT-X-KEY", ResourceKind.KEY),
    SESSION_KEY("EXT-X-SESSION-KEY", ResourceKind.KEY),
    MAP("EXT-X-MAP", ResourceKind.INIT_SECTION),
    MEDIA("EXT-X-MEDIA", ResourceKind.PLAYLIST),
    I_FRAME_STREAM_INF("EXT-X-I-FRAME-STREAM-INF", ResourceKind.PLAYLIST),
    IMAGE_STREAM_INF("EXT-X-IMAGE-STREAM-INF", ResourceKind.PLAYLIST),
    PART("EXT-X-PART", ResourceKind.PART),
    PRELOAD_HINT("EXT-X-PRELOAD-HINT", null),
    RENDITION_REPORT("EXT-X-RENDITION-REPORT", ResourceKind.PLAYLIST),
    SESSION_DATA("EXT-X-SESSION-DATA", ResourceKind.SESSION_DATA),
    CONTENT_STEERING("EXT-X-CONTENT-STEERING", null),
    DATERANGE("EXT-X-DATERANGE", null);

    private static final Map<String, UriTag> BY_NAME = new HashMap<>();

    static {
        for (UriTag tag : values()) {
            BY_NAME.put(tag.tagName, tag);
        }
    }

    private final String tagName;
    /** The kind of this tag's URI attribute, for the tags where that does not depend on anything else. */
    private final ResourceKind uriKind;

    UriTag(String tagName, ResourceKind uriKind) {
        this.tagName = tagName;
        this.uriKind = uriKind;
    }

    static UriTag named(String tagName) {
        return BY_NAME.get(tagName);
    }

    String tagName() {
        return tagName;
    }

    /** What this attribute's value points at, or null when it holds no URI. */
    ResourceKind kindOf(AttributeList.Attribute attribute, List<AttributeList.Attribute> all, String text) {
        return switch (this) {
            case CONTENT_STEERING -> attribute.isNamed(text, "SERVER-URI") ? ResourceKind.STEERING_MANIFEST : null;
            // HLS interstitials (Apple's client attributes): the asset's playlist, or a JSON list of assets
            case DATERANGE -> attribute.isNamed(text, "X-ASSET-URI") ? ResourceKind.PLAYLIST
                    : attribute.isNamed(text, "X-ASSET-LIST") ? ResourceKind.INTERSTITIAL_ASSET_LIST : null;
            case PRELOAD_HINT -> attribute.isNamed(text, "URI") ? hintKind(AttributeList.valueOf(all, text, "TYPE")) : null;
            default -> attribute.isNamed(text, "URI") ? uriKind : null;
        };
    }

    private static ResourceKind hintKind(String type) {
        if ("PART".equals(type)) {
            return ResourceKind.PART;
        }
        return "MAP".equals(type) ? ResourceKind.INIT_SECTION : ResourceKind.PRELOAD_HINT;
    }
}
