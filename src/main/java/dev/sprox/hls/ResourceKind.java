package dev.sprox.hls;

/** What a URI in a playlist or an MPD points at, so a mapper can route it to the right endpoint. */
public enum ResourceKind {
    /** A playlist: variant (EXT-X-STREAM-INF line), rendition (EXT-X-MEDIA), I-frame or image stream,
     *  rendition report, or an interstitial's X-ASSET-URI. */
    PLAYLIST,
    /** A media segment: any URI line that does not follow EXT-X-STREAM-INF; in DASH, {@code SegmentTemplate@media}
     *  (still a template: its {@code $...$} identifiers are offered as written) and {@code SegmentURL@media}. */
    SEGMENT,
    /** EXT-X-KEY and EXT-X-SESSION-KEY (http and https only; skd:, data: and the like are never offered). */
    KEY,
    /** EXT-X-MAP, and EXT-X-PRELOAD-HINT with TYPE=MAP; in DASH, {@code SegmentTemplate@initialization} and
     *  {@code Initialization@sourceURL}. */
    INIT_SECTION,
    /** EXT-X-PART, and EXT-X-PRELOAD-HINT with TYPE=PART. */
    PART,
    /** EXT-X-PRELOAD-HINT of another or missing TYPE: clients ignore it, but it is still rewritten so no upstream URL leaks. */
    PRELOAD_HINT,
    /** EXT-X-CONTENT-STEERING SERVER-URI: a JSON steering manifest. */
    STEERING_MANIFEST,
    /** EXT-X-SESSION-DATA URI: a JSON document. */
    SESSION_DATA,
    /** EXT-X-DATERANGE X-ASSET-LIST (HLS interstitials): a JSON list of assets. */
    INTERSTITIAL_ASSET_LIST,
    /** DASH {@code BaseURL}: a prefix the player completes with the references below it, so it must map to a
     *  URL that still works with any relative path appended. */
    URL_BASE,
    /** DASH {@code Location}: where the player fetches the next MPD. */
    MANIFEST,
    /** DASH {@code SegmentTemplate@index}, {@code SegmentURL@index} and {@code RepresentationIndex}: a segment index. */
    SEGMENT_INDEX
}
