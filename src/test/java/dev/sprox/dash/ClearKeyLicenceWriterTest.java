package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The licence URL written into ClearKey ContentProtection, everything else left byte for byte. */
class ClearKeyLicenceWriterTest {
    private static final String KID_A = "6a5f0c2b-8e7d-4a3f-9c1b-2e4d6f8a0b1c";
    private static final String HEX_A = "6a5f0c2b8e7d4a3f9c1b2e4d6f8a0b1c";
    private static final String KID_B = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private static final String HEX_B = "0b1c2d3e4f5061728394a5b6c7d8e9f0";
    private static final String LAURL = "<dashif:Laurl xmlns:dashif=\"https://dashif.org/CPS\" Lic_type=\"EME-1.0\">"
            + "https://sprox.example/keys/clearkey?kids=%s&amp;exp=9&amp;sig=s</dashif:Laurl>";

    /** Holds the KIDs it was made with; remembers what it was asked. */
    private static final class Server implements ClearKeyLicenceWriter.LicenceServer {
        final Set<String> holds;
        final List<Set<String>> asked = new ArrayList<>();

        Server(String... holds) {
            this.holds = Set.of(holds);
        }

        @Override
        public Set<String> held(Set<String> kids) {
            asked.add(kids);
            Set<String> held = new TreeSet<>(kids);
            held.retainAll(holds);
            return held;
        }

        @Override
        public String path(Set<String> kids) {
            return "/keys/clearkey?kids=" + String.join(",", kids) + "&exp=9&sig=s";
        }
    }

    private static String mpd(String adaptationSet) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- packaged -->
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" xmlns:cenc="urn:mpeg:cenc:2013" type="static">
                  <Period>
                %s
                  </Period>
                </MPD>
                """.formatted(adaptationSet);
    }

    private static String write(String mpd, Server server) throws MpdException {
        return ClearKeyLicenceWriter.write(mpd, server, URI.create("https://sprox.example/edge/dash/"),
                MpdLimits.defaults());
    }

    @Test
    void addsAClearKeyContentProtectionAfterTheLastOneWhenThereIsNone() throws MpdException {
        String set = """
                    <AdaptationSet mimeType="video/mp4">
                      <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc" cenc:default_KID="%s"/>
                      <ContentProtection schemeIdUri="urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed"/>
                      <Representation id="v" bandwidth="1"/>
                    </AdaptationSet>""";
        String cp = "<ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\""
                + " value=\"ClearKey1.0\">" + LAURL.formatted(HEX_A) + "</ContentProtection>";
        assertEquals(mpd(set.formatted(KID_A).replace("21ed\"/>", "21ed\"/>" + cp)),
                write(mpd(set.formatted(KID_A)), new Server(HEX_A)));
    }

    @Test
    void fillsAnEmptyClearKeyElementAndReplacesTheOriginsLaurl() throws MpdException {
        String set = """
                    <AdaptationSet mimeType="video/mp4">
                      <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc" cenc:default_KID="%s"/>
                      <ContentProtection schemeIdUri="urn:uuid:1077EFEC-C0B2-4D02-ACE3-3C1E52E2FB4B" value="ClearKey1.0"/>
                      <Representation id="v" bandwidth="1">
                        <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" cenc:default_KID="%s"/>
                        <ContentProtection schemeIdUri="urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e"
                            xmlns:clearkey="http://dashif.org/guidelines/clearKey">
                          <clearkey:Laurl Lic_type="EME-1.0">https://licences.origin.example/ck</clearkey:Laurl>
                          <clearkey:Laurl Lic_type="EME-1.0">https://second.origin.example/ck</clearkey:Laurl>
                        </ContentProtection>
                      </Representation>
                    </AdaptationSet>""".formatted(KID_A, KID_B);
        String both = LAURL.formatted(HEX_B + "," + HEX_A);
        String expected = set
                .replace("FB4B\" value=\"ClearKey1.0\"/>", "FB4B\" value=\"ClearKey1.0\">" + both
                        + "</ContentProtection>")
                .replace("<clearkey:Laurl Lic_type=\"EME-1.0\">https://licences.origin.example/ck</clearkey:Laurl>",
                        both)
                .replace("<clearkey:Laurl Lic_type=\"EME-1.0\">https://second.origin.example/ck</clearkey:Laurl>", "");
        assertEquals(mpd(expected), write(mpd(set), new Server(HEX_A, HEX_B)));
    }

    @Test
    void kidsTheServerDoesNotHoldAreLeftAlone() throws MpdException {
        String video = """
                    <AdaptationSet mimeType="video/mp4">
                      <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" cenc:default_KID="%s">
                      </ContentProtection>
                    </AdaptationSet>
                    <AdaptationSet mimeType="audio/mp4">
                      <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" cenc:default_KID="%s"/>
                    </AdaptationSet>""".formatted(KID_A, KID_B);
        String cp = "<ContentProtection schemeIdUri=\"urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e\""
                + " value=\"ClearKey1.0\">" + LAURL.formatted(HEX_B) + "</ContentProtection>";
        Server server = new Server(HEX_B);
        assertEquals(mpd(video.replace("2011\" cenc:default_KID=\"" + KID_B + "\"/>",
                "2011\" cenc:default_KID=\"" + KID_B + "\"/>" + cp)), write(mpd(video), server));
        assertEquals(List.of(Set.of(HEX_A, HEX_B)), server.asked);
    }

    @Test
    void anMpdWithoutKidsOrWithoutHeldKeysIsReturnedAsItIs() throws MpdException {
        String clear = mpd("    <AdaptationSet><Representation id=\"v\" bandwidth=\"1\"/></AdaptationSet>");
        Server server = new Server(HEX_A);
        assertSame(clear, write(clear, server));
        assertEquals(List.of(), server.asked, "nothing to ask about");
        String other = mpd("""
                    <AdaptationSet>
                      <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" cenc:default_KID="%s"/>
                    </AdaptationSet>""".formatted(KID_B));
        assertSame(other, write(other, server));
    }

    @Test
    void hostileXmlIsRefusedAsInTheRewriter() {
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE MPD [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011">&b;</MPD>
                """;
        assertThrows(MpdException.class, () -> write(laughs, new Server(HEX_A)));
    }
}
