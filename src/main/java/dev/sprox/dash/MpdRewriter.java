package dev.sprox.dash;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.hls.UriMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Rewrites the URLs a player will fetch from an MPD (ISO/IEC 23009-1) through a {@link UriMapper}, editing only
 * the attribute values and BaseURL texts that change: every other byte, comments, namespaces and
 * ContentProtection included, stays as written. A pure function: no I/O, no global state.
 *
 * <p>What is offered, and why:
 * <ul>
 *   <li>{@code BaseURL} at every level ({@link ResourceKind#URL_BASE}), {@code Location}
 *       ({@link ResourceKind#MANIFEST}), {@code SegmentTemplate@media/@initialization/@index},
 *       {@code SegmentURL@media/@index}, {@code Initialization@sourceURL}, {@code RepresentationIndex@sourceURL}
 *       and {@code BitstreamSwitching@sourceURL}.</li>
 *   <li>Templates stay templates: {@code $Number$}, {@code $Time$} and the rest are offered as written, never
 *       expanded, so the player still completes them.</li>
 *   <li>A relative-path reference is kept as written and not offered: it resolves against the BaseURL in force,
 *       which is itself rewritten. Rewriting it would also be wrong where an AdaptationSet's template is
 *       inherited by Representations that each add their own BaseURL. Absolute and absolute-path references
 *       are offered, resolved per RFC 3986 against the chain of first BaseURLs above them and, at the top, the
 *       URL the MPD was finally fetched from.</li>
 *   <li>Several BaseURLs at one level (alternative locations): each is offered, so none leads around the proxy;
 *       the first is the base for the references below it, as {@link MpdReader} also chooses.</li>
 *   <li>Only http and https references are offered.</li>
 *   <li>{@code PatchLocation} is removed. A patch (ISO/IEC 23009-1 §5.15) adds MPD elements that would carry the
 *       origin's URLs around the proxy, and is no MPD a proxy could rewrite; without it a player reloads the whole
 *       MPD ({@code Location}, else the URL it came from), which comes back rewritten.</li>
 * </ul>
 */
public final class MpdRewriter {

    /** One replacement of text[start, end). */
    private record Edit(int start, int end, String text) {}

    private final XmlDocument document;
    private final String mpdUrl;
    private final UriMapper mapper;
    private final boolean prefixed;
    /** In prefixed mode, the levels each base is written higher so relative references stay under it. */
    private final int ascent;
    private final References references = new References();
    private final List<Edit> edits = new ArrayList<>();

    private MpdRewriter(XmlDocument document, URI mpdUrl, UriMapper mapper, boolean prefixed) {
        this.document = document;
        this.mpdUrl = mpdUrl.toString();
        this.mapper = mapper;
        this.prefixed = prefixed;
        this.ascent = prefixed ? Ascent.of(document, document.root()) : 0;
    }

    /**
     * @param mpd    the MPD text, already decoded
     * @param mpdUrl the absolute http(s) URL the MPD was finally fetched from, after redirects
     * @param mapper gives the text that replaces each URL; it is escaped for XML here
     * @param prefixed the mapper writes each base as a prefix the player completes, and the MPD's own URL is the
     *                 proxy's, so neither keeps the origin's path above it. Then references the player would resolve
     *                 against the MPD's URL (MPD-level BaseURLs and Locations) are offered even when relative; when
     *                 the MPD has no MPD-level BaseURL one naming the directory of {@code mpdUrl} is added (offered
     *                 like any other BaseURL); and each base is offered as the ancestor directory that the relative
     *                 references below it climb to ({@link Ascent}), followed by the rest of its path, so
     *                 {@code ../audio/1.m4s} still resolves under the mapped ancestor. A Representation's relative
     *                 BaseURL that no segment reference resolves against is offered too.
     * @throws MpdException when the document is not a well-formed, safe MPD within {@code limits}
     */
    public static String rewrite(String mpd, URI mpdUrl, UriMapper mapper, MpdLimits limits, boolean prefixed)
            throws MpdException {
        Objects.requireNonNull(mapper, "mapper");
        XmlDocument document = XmlDocument.parse(mpd, limits);
        MpdReader.requireMpdRoot(document.root());
        var pass = new MpdRewriter(document, mpdUrl, mapper, prefixed);
        pass.mpd(document.root());
        return pass.apply();
    }

    /** {@link #rewrite(String, URI, UriMapper, MpdLimits, boolean)} for a mapper that keeps the origin's paths. */
    public static String rewrite(String mpd, URI mpdUrl, UriMapper mapper, MpdLimits limits) throws MpdException {
        return rewrite(mpd, mpdUrl, mapper, limits, false);
    }

    private void mpd(XmlDocument.Element mpd) throws MpdException {
        for (XmlDocument.Element location : mpd.children("Location")) {
            text(location, ResourceKind.MANIFEST, mpdUrl);
        }
        for (XmlDocument.Element patchLocation : mpd.children("PatchLocation")) {
            edits.add(removal(patchLocation));
        }
        String base;
        if (prefixed && mpd.children("BaseURL").isEmpty()) {
            String directory = mpdUrl.substring(0, directoryEnd(mpdUrl));
            String mapped = mapped(ResourceKind.URL_BASE, directory, directory, mpd.line());
            edits.add(new Edit(mpd.contentStart(), mpd.contentStart(),
                    "<BaseURL>" + XmlText.escape(mapped, (char) 0) + "</BaseURL>"));
            base = directory;
        } else {
            base = baseUrls(mpd, mpdUrl, false);
        }
        for (XmlDocument.Element period : mpd.children("Period")) {
            String periodBase = baseUrls(period, base, false);
            segmentInformation(period, periodBase);
            for (XmlDocument.Element set : period.children("AdaptationSet")) {
                String setBase = baseUrls(set, periodBase, false);
                segmentInformation(set, setBase);
                for (XmlDocument.Element representation : set.children("Representation")) {
                    boolean nothingBelow = prefixed
                            && !Ascent.hasRelativeReferences(List.of(period, set, representation));
                    String representationBase = baseUrls(representation, setBase, nothingBelow);
                    segmentInformation(representation, representationBase);
                }
            }
        }
    }

    /**
     * Offers every BaseURL child; returns the base for what lies below: the first BaseURL, resolved. A relative one is
     * offered too when {@code relativeOffered}: in prefixed mode, a Representation's BaseURL that no segment reference
     * resolves against (an on-demand file read by range). ffmpeg (5.1) resolves such a {@code video.mp4} against
     * the MPD's own URL instead of the prefix above it; the prefix written in full, every player reads alike.
     */
    private String baseUrls(XmlDocument.Element element, String base, boolean relativeOffered)
            throws MpdException {
        String first = null;
        boolean seen = false;
        for (XmlDocument.Element baseUrl : element.children("BaseURL")) {
            String written = document.content(baseUrl).strip();
            String resolved = offerText(baseUrl, ResourceKind.URL_BASE, base, written, relativeOffered);
            if (!seen) {
                first = written.isEmpty() ? base : resolved != null ? resolved : references.resolve(base, written,
                        baseUrl.line());
                seen = true;
            }
        }
        return seen ? first : base;
    }

    private void segmentInformation(XmlDocument.Element element, String base) throws MpdException {
        for (XmlDocument.Element template : element.children("SegmentTemplate")) {
            attribute(template, "media", ResourceKind.SEGMENT, base);
            attribute(template, "initialization", ResourceKind.INIT_SECTION, base);
            attribute(template, "index", ResourceKind.SEGMENT_INDEX, base);
            indexAndInitialization(template, base);
        }
        for (XmlDocument.Element segmentBase : element.children("SegmentBase")) {
            indexAndInitialization(segmentBase, base);
        }
        for (XmlDocument.Element list : element.children("SegmentList")) {
            indexAndInitialization(list, base);
            for (XmlDocument.Element url : list.children("SegmentURL")) {
                attribute(url, "media", ResourceKind.SEGMENT, base);
                attribute(url, "index", ResourceKind.SEGMENT_INDEX, base);
            }
        }
    }

    private void indexAndInitialization(XmlDocument.Element element, String base) throws MpdException {
        for (XmlDocument.Element initialization : element.children("Initialization")) {
            attribute(initialization, "sourceURL", ResourceKind.INIT_SECTION, base);
        }
        for (XmlDocument.Element index : element.children("RepresentationIndex")) {
            attribute(index, "sourceURL", ResourceKind.SEGMENT_INDEX, base);
        }
        for (XmlDocument.Element switching : element.children("BitstreamSwitching")) {
            attribute(switching, "sourceURL", ResourceKind.INIT_SECTION, base);
        }
    }

    private void attribute(XmlDocument.Element element, String name, ResourceKind kind, String base)
            throws MpdException {
        var attribute = element.attribute(name);
        if (attribute.isEmpty()) {
            return;
        }
        XmlDocument.Attribute value = attribute.get();
        String written = value.value().strip();
        String replacement = replacement(kind, base, written, element.line());
        if (replacement != null) {
            edits.add(new Edit(value.valueStart(), value.valueEnd(), XmlText.escape(replacement, value.quote())));
        }
    }

    private void text(XmlDocument.Element element, ResourceKind kind, String base) throws MpdException {
        offerText(element, kind, base, document.content(element).strip(), false);
    }

    /** Offers an element's text; returns the resolved URL when it was offered, else null. */
    private String offerText(XmlDocument.Element element, ResourceKind kind, String base, String written,
            boolean relativeOffered) throws MpdException {
        String resolved = resolved(base, written, element.line(), relativeOffered);
        if (resolved == null) {
            return null;
        }
        String replacement = mapped(kind, resolved, written, element.line());
        if (!replacement.equals(written)) {
            edits.add(contentEdit(element, XmlText.escape(replacement, (char) 0)));
        }
        return resolved;
    }

    /**
     * The mapper's text for a resolved reference; in prefixed mode a base is the mapped ancestor {@link #ascent}
     * levels above its directory followed by the rest of it, when the mapper writes that ancestor as a prefix.
     */
    private String mapped(ResourceKind kind, String resolved, String written, int line) {
        if (kind == ResourceKind.URL_BASE && ascent > 0) {
            String ancestor = ancestor(resolved, ascent);
            String prefix = mapper.map(new PlaylistUri(ResourceKind.URL_BASE, ancestor, ancestor, line));
            if (prefix.endsWith("/")) {
                return prefix + resolved.substring(ancestor.length());
            }
        }
        return mapper.map(new PlaylistUri(kind, resolved, written, line));
    }

    /** The mapper's text for a reference that is offered and changes, else null. */
    private String replacement(ResourceKind kind, String base, String written, int line) throws MpdException {
        String resolved = resolved(base, written, line, false);
        if (resolved == null) {
            return null;
        }
        String replacement = mapped(kind, resolved, written, line);
        return replacement.equals(written) ? null : replacement;
    }

    /** The reference resolved, when it is offered: not when empty, nor a relative path the player resolves against a
     *  rewritten base (in prefixed mode, the MPD's own URL is no such base), unless {@code relativeOffered}. */
    private String resolved(String base, String written, int line, boolean relativeOffered) throws MpdException {
        if (written.isEmpty() || (References.isRelativePath(written) && !relativeOffered
                && !(prefixed && base.equals(mpdUrl)))) {
            return null;
        }
        return references.resolve(base, written, line);
    }

    /** Replaces the element's text between its blanks, or its whole content when CDATA or comments are in it. */
    private Edit contentEdit(XmlDocument.Element element, String escaped) {
        String text = document.text();
        int start = element.contentStart();
        int end = element.contentEnd();
        if (text.substring(start, end).indexOf('<') < 0) {
            while (start < end && isBlank(text.charAt(start))) {
                start++;
            }
            while (end > start && isBlank(text.charAt(end - 1))) {
                end--;
            }
        }
        return new Edit(start, end, escaped);
    }

    /** Removes the element, and the line it stood on when nothing else stood there. */
    private Edit removal(XmlDocument.Element element) {
        String text = document.text();
        int start = element.start();
        int end = element.end();
        int lineStart = start;
        while (lineStart > 0 && (text.charAt(lineStart - 1) == ' ' || text.charAt(lineStart - 1) == '\t')) {
            lineStart--;
        }
        int lineEnd = end;
        while (lineEnd < text.length() && (text.charAt(lineEnd) == ' ' || text.charAt(lineEnd) == '\t'
                || text.charAt(lineEnd) == '\r')) {
            lineEnd++;
        }
        boolean ownLine = (lineStart == 0 || text.charAt(lineStart - 1) == '\n')
                && lineEnd < text.length() && text.charAt(lineEnd) == '\n';
        return ownLine ? new Edit(lineStart, lineEnd + 1, "") : new Edit(start, end, "");
    }

    private String apply() {
        if (edits.isEmpty()) {
            return document.text();
        }
        edits.sort(Comparator.comparingInt(Edit::start));
        String text = document.text();
        StringBuilder out = new StringBuilder(text.length() + edits.size() * 32);
        int pos = 0;
        for (Edit edit : edits) {
            out.append(text, pos, edit.start()).append(edit.text());
            pos = edit.end();
        }
        return out.append(text, pos, text.length()).toString();
    }

    /** The directory of {@code url}, {@code levels} higher, never above its authority's root. */
    private static String ancestor(String url, int levels) {
        String directory = url.substring(0, directoryEnd(url));
        int root = directory.indexOf('/', directory.indexOf("://") + 3);
        for (int i = 0; i < levels && directory.length() - 1 > root; i++) {
            directory = directory.substring(0, directory.lastIndexOf('/', directory.length() - 2) + 1);
        }
        return directory;
    }

    private static int directoryEnd(String url) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        return path.lastIndexOf('/') + 1;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
