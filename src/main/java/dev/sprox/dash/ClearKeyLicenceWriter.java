package dev.sprox.dash;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Points the ClearKey {@code ContentProtection} of an MPD at a licence server, so an EME player (Shaka Player,
 * dash.js) asks that server for its keys with no configuration of its own. A pure function over the MPD text:
 * only the spans it changes are edited, every other byte stays as written.
 *
 * <p>For each AdaptationSet and Representation whose ContentProtection names a {@code cenc:default_KID} the
 * server holds:
 * <ul>
 *   <li>a ClearKey ContentProtection (the W3C ClearKey system {@code e2719d58-...} or the common system
 *       {@code 1077efec-...}, which players also map to {@code org.w3.clearkey}) gets the URL as its one
 *       {@code dashif:Laurl}: a {@code dashif:Laurl} or {@code clearkey:Laurl} already there, such as the
 *       origin's own licence server, is replaced, since a player uses the first it finds;</li>
 *   <li>without one, a ClearKey ContentProtection carrying the URL is added after the element's last
 *       ContentProtection, where ISO/IEC 23009-1 orders them.</li>
 * </ul>
 * One URL serves the whole MPD, bound to every held KID in it; KIDs the server does not hold are left alone.
 */
public final class ClearKeyLicenceWriter {
    public static final String CLEARKEY_SYSTEM = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e";
    private static final String COMMON_SYSTEM = "urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b";
    private static final String DASHIF_NAMESPACE = "https://dashif.org/CPS";

    /** Where keys can be had: which KIDs, and the licence URL for a set of them. */
    public interface LicenceServer {
        /**
         * @param kids KIDs as 32 lower-case hex digits
         * @return the ones whose keys this server gives out
         */
        Set<String> held(Set<String> kids);

        /** The path and query, from {@code /}, of a licence URL that may fetch exactly these KIDs (32 hex digits). */
        String path(Set<String> kids);
    }

    private record Edit(int start, int end, String text) {}

    private ClearKeyLicenceWriter() {}

    /**
     * @param publicBase where players reach sprox (a route's {@code base_url}): the licence URL is the server's path
     *                   on its scheme, host and port
     * @return the MPD with the licence URL written in, or {@code mpd} itself when it has no ContentProtection
     *         with a KID the server holds
     * @throws MpdException when the document is not a well-formed, safe MPD within {@code limits}
     */
    public static String write(String mpd, LicenceServer server, URI publicBase, MpdLimits limits)
            throws MpdException {
        XmlDocument document = XmlDocument.parse(mpd, limits);
        MpdReader.requireMpdRoot(document.root());
        List<XmlDocument.Element> protectedElements = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (XmlDocument.Element period : document.root().children("Period")) {
            for (XmlDocument.Element set : period.children("AdaptationSet")) {
                collect(set, protectedElements, kids);
                for (XmlDocument.Element representation : set.children("Representation")) {
                    collect(representation, protectedElements, kids);
                }
            }
        }
        if (kids.isEmpty()) {
            return mpd;
        }
        Set<String> held = server.held(kids);
        if (held.isEmpty()) {
            return mpd;
        }
        String laurl = "<dashif:Laurl xmlns:dashif=\"" + DASHIF_NAMESPACE + "\" Lic_type=\"EME-1.0\">"
                + XmlText.escape(publicBase.getScheme() + "://" + publicBase.getRawAuthority() + server.path(held),
                (char) 0) + "</dashif:Laurl>";
        List<Edit> edits = new ArrayList<>();
        for (XmlDocument.Element element : protectedElements) {
            if (kidsOf(element).stream().anyMatch(held::contains)) {
                edits.addAll(licence(element, laurl));
            }
        }
        return apply(mpd, edits);
    }

    private static void collect(XmlDocument.Element element, List<XmlDocument.Element> protectedElements,
                                Set<String> kids) {
        Set<String> own = kidsOf(element);
        if (!own.isEmpty()) {
            protectedElements.add(element);
            kids.addAll(own);
        }
    }

    /** The element's own {@code default_KID}s, as 32 lower-case hex digits; malformed ones are skipped. */
    private static Set<String> kidsOf(XmlDocument.Element element) {
        Set<String> kids = new LinkedHashSet<>();
        for (XmlDocument.Element protection : element.children("ContentProtection")) {
            protection.value("default_KID").flatMap(ClearKeyLicenceWriter::hex).ifPresent(kids::add);
        }
        return kids;
    }

    private static Optional<String> hex(String uuid) {
        String hex = uuid.strip().replace("-", "").toLowerCase(Locale.ROOT);
        return hex.matches("[0-9a-f]{32}") ? Optional.of(hex) : Optional.empty();
    }

    private static List<Edit> licence(XmlDocument.Element element, String laurl) {
        List<XmlDocument.Element> protections = element.children("ContentProtection");
        List<Edit> edits = new ArrayList<>();
        for (XmlDocument.Element protection : protections) {
            if (isClearKey(protection)) {
                edits.addAll(laurlOf(protection, laurl));
            }
        }
        if (edits.isEmpty()) {
            XmlDocument.Element last = protections.getLast();
            String name = last.name();
            edits.add(new Edit(last.end(), last.end(), "<" + name + " schemeIdUri=\"" + CLEARKEY_SYSTEM
                    + "\" value=\"ClearKey1.0\">" + laurl + "</" + name + ">"));
        }
        return edits;
    }

    /** Replaces the first Laurl and drops any others; adds one when there is none. */
    private static List<Edit> laurlOf(XmlDocument.Element protection, String laurl) {
        List<XmlDocument.Element> existing = protection.children("Laurl");
        List<Edit> edits = new ArrayList<>();
        if (!existing.isEmpty()) {
            edits.add(new Edit(existing.getFirst().start(), existing.getFirst().end(), laurl));
            existing.stream().skip(1).forEach(other -> edits.add(new Edit(other.start(), other.end(), "")));
        } else if (protection.contentStart() == protection.end()) {
            // An empty-element tag: "/>" becomes ">", the Laurl, and an end tag.
            edits.add(new Edit(protection.end() - 2, protection.end(), ">" + laurl + "</" + protection.name() + ">"));
        } else {
            edits.add(new Edit(protection.contentStart(), protection.contentStart(), laurl));
        }
        return edits;
    }

    private static boolean isClearKey(XmlDocument.Element protection) {
        String scheme = protection.value("schemeIdUri").orElse("").strip().toLowerCase(Locale.ROOT);
        return scheme.equals(CLEARKEY_SYSTEM) || scheme.equals(COMMON_SYSTEM);
    }

    private static String apply(String text, List<Edit> edits) {
        edits.sort(Comparator.comparingInt(Edit::start));
        StringBuilder out = new StringBuilder(text.length() + edits.size() * 256);
        int pos = 0;
        for (Edit edit : edits) {
            out.append(text, pos, edit.start()).append(edit.text());
            pos = edit.end();
        }
        return out.append(text, pos, text.length()).toString();
    }
}
