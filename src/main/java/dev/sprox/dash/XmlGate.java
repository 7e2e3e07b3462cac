package dev.sprox.dash;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The JDK's own XML parser as the judge of whether a document is well-formed XML before anything else reads it:
 * no DOCTYPE at all (so no internal or external entities, no billion laughs), no external DTD or schema, no
 * XInclude, secure processing on, and the nesting depth and element count bounded. Only a document that passes
 * reaches {@link XmlDocument}, which can then rely on its syntax.
 */
final class XmlGate {
    private XmlGate() {}

    static void check(String text, MpdLimits limits) throws MpdException {
        if (text.length() > limits.maxChars()) {
            throw new MpdException(0, "MPD larger than " + limits.maxChars() + " chars");
        }
        SAXParser parser = parser();
        var handler = new Bounds(limits);
        try {
            var reader = new StringReader(text);
            if (text.startsWith("\uFEFF")) {
                // UTF-8's byte order mark survives decoding as a character, which XML read from chars refuses.
                reader.skip(1);
            }
            parser.parse(new InputSource(reader), handler);
        } catch (SAXParseException e) {
            throw new MpdException(Math.max(e.getLineNumber(), 0), "not well-formed XML: " + e.getMessage());
        } catch (SAXException e) {
            throw new MpdException(handler.line(), "not well-formed XML: " + e.getMessage());
        } catch (IOException e) {
            throw new MpdException(0, "unreadable XML: " + e.getMessage());
        }
    }

    private static SAXParser parser() {
        try {
            // The JDK's built-in implementation, whatever else is on the class path.
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return parser;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required safety feature", e);
        }
    }

    /** Counts depth and elements as the parser goes, and stops it at a limit with the line. */
    private static final class Bounds extends DefaultHandler {
        private final MpdLimits limits;
        private Locator locator;
        private int depth;
        private int elements;

        Bounds(MpdLimits limits) {
            this.limits = limits;
        }

        int line() {
            return locator == null ? 0 : Math.max(locator.getLineNumber(), 0);
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes)
                throws SAXException {
            if (++depth > limits.maxDepth()) {
                throw new SAXParseException("elements nested deeper than " + limits.maxDepth(), locator);
            }
            if (++elements > limits.maxElements()) {
                throw new SAXParseException("more than " + limits.maxElements() + " elements", locator);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            depth--;
        }
    }
}
