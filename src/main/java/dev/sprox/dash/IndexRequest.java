package dev.sprox.dash;

import dev.sprox.dash.Mpd.ByteRange;

/** The bytes a caller must fetch, and parse with {@link SegmentIndexBox}, before a SegmentBase Representation can be
 *  converted: {@code range} of {@code url}. */
public record IndexRequest(String url, ByteRange range) {}
