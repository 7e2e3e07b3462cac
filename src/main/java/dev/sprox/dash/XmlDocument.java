package dev.sprox.dash;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The element tree of a document {@link XmlGate} has accepted, with where each attribute value and each
 * element's content sits in the original text, so a rewrite can replace exactly those spans and keep every
 * other byte. Because the gate has vouched for the syntax (and refused any DOCTYPE), the only markup left to
 * tell apart is tags, comments, CDATA sections and processing instructions. Names are matched by local
 * name: MPDs put their elements in the default namespace and extensions under their own prefixes.
 */
final class XmlDocument {

    /** One attribute: its value decoded, and the span of its raw value between the quotes. */
    record Attribute(String name, String value, int valueStart, int valueEnd, char quote) {
        String localName() {
            return XmlDocument.localName(name);
        }
    }

    /**
     * One element.
     *
     * @param start        offset of its '<'
     * @param contentStart offset after its start tag's '>'; equals {@code contentEnd} for an empty element
     * @param contentEnd   offset of its end tag's '<', or of the end of "/>" for an empty-element tag
     * @param end          offset after its end tag (or "/>")
     */
    record Element(String name, int line, List<Attribute> attributes, List<Element> children, int start,
                   int contentStart, int contentEnd, int end) {

        String localName() {
            return XmlDocument.localName(name);
        }

        Optional<Attribute> attribute(String local) {
            for (Attribute attribute : attributes) {
                if (attribute.localName().equals(local)) {
                    return Optional.of(attribute);
                }
            }
            return Optional.empty();
        }

        Optional<String> value(String local) {
            return attribute(local).map(Attribute::value);
        }

        List<Element> children(String local) {
            List<Element> found = new ArrayList<>();
            for (Element child : children) {
                if (child.localName().equals(local)) {
                    found.add(child);
                }
            }
            return found;
        }

        Optional<Element> child(String local) {
            for (Element child : children) {
                if (child.localName().equals(local)) {
                    return Optional.of(child);
                }
            }
            return Optional.empty();
        }
    }

    private final String text;
    private final Element root;

    private XmlDocument(String text, Element root) {
        this.text = text;
        this.root = root;
    }

    /** Checks {@code text} with {@link XmlGate}, then reads its tree. */
    static XmlDocument parse(String text, MpdLimits limits) throws MpdException {
        XmlGate.check(text, limits);
        return new XmlDocument(text, new Scanner(text).document());
    }

    String text() {
        return text;
    }

    Element root() {
        return root;
    }

    /** The element's character content, decoded: text, references and CDATA sections, comments and PIs left out. */
    String content(Element element) {
        return XmlText.content(text, element.contentStart(), element.contentEnd());
    }

    /** The raw text of the element, tags included, as written. */
    String verbatim(Element element) {
        return text.substring(element.start(), element.end());
    }

    static String localName(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    /** A single pass over text already known to be well-formed. */
    private static final class Scanner {
        private final String text;
        private int pos;
        private int line = 1;
        private int lineCountedTo;

        Scanner(String text) {
            this.text = text;
        }

        Element document() {
            List<Builder> open = new ArrayList<>();
            Element root = null;
            int n = text.length();
            while (pos < n) {
                int lt = text.indexOf('<', pos);
                if (lt < 0) {
                    break;
                }
                pos = lt;
                if (text.startsWith("<!--", pos)) {
                    pos = text.indexOf("-->", pos + 4) + 3;
                } else if (text.startsWith("<![CDATA[", pos)) {
                    pos = text.indexOf("]]>", pos + 9) + 3;
                } else if (text.startsWith("<?", pos)) {
                    pos = text.indexOf("?>", pos + 2) + 2;
                } else if (text.startsWith("</", pos)) {
                    Builder closing = open.removeLast();
                    int contentEnd = pos;
                    pos = text.indexOf('>', pos) + 1;
                    Element element = closing.build(contentEnd, pos);
                    if (open.isEmpty()) {
                        root = element;
                    } else {
                        open.getLast().children.add(element);
                    }
                } else {
                    Builder builder = startTag();
                    if (builder.selfClosing) {
                        Element element = builder.build(pos, pos);
                        if (open.isEmpty()) {
                            root = element;
                        } else {
                            open.getLast().children.add(element);
                        }
                    } else {
                        open.add(builder);
                    }
                }
            }
            return root;
        }

        private Builder startTag() {
            int start = pos;
            int elementLine = lineAt(start);
            pos++;
            int nameStart = pos;
            while (!isNameEnd(text.charAt(pos))) {
                pos++;
            }
            var builder = new Builder(text.substring(nameStart, pos), elementLine, start);
            while (true) {
                skipBlanks();
                char c = text.charAt(pos);
                if (c == '>') {
                    pos++;
                    builder.contentStart = pos;
                    return builder;
                }
                if (c == '/') {
                    pos += 2;
                    builder.selfClosing = true;
                    builder.contentStart = pos;
                    return builder;
                }
                int attributeStart = pos;
                while (!isNameEnd(text.charAt(pos)) && text.charAt(pos) != '=') {
                    pos++;
                }
                String name = text.substring(attributeStart, pos);
                skipBlanks();
                pos++; // '='
                skipBlanks();
                char quote = text.charAt(pos);
                int valueStart = pos + 1;
                int valueEnd = text.indexOf(quote, valueStart);
                builder.attributes.add(new Attribute(name, XmlText.decode(text, valueStart, valueEnd, true),
                        valueStart, valueEnd, quote));
                pos = valueEnd + 1;
            }
        }

        private void skipBlanks() {
            while (isBlank(text.charAt(pos))) {
                pos++;
            }
        }

        private int lineAt(int offset) {
            for (int i = lineCountedTo; i < offset; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            lineCountedTo = offset;
            return line;
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        private static boolean isNameEnd(char c) {
            return isBlank(c) || c == '>' || c == '/';
        }
    }

    private static final class Builder {
        final String name;
        final int line;
        final int start;
        final List<Attribute> attributes = new ArrayList<>(4);
        final List<Element> children = new ArrayList<>(2);
        boolean selfClosing;
        int contentStart;

        Builder(String name, int line, int start) {
            this.name = name;
            this.line = line;
            this.start = start;
        }

        Element build(int contentEnd, int end) {
            return new Element(name, line, List.copyOf(attributes), List.copyOf(children), start, contentStart,
                    contentEnd, end);
        }
    }
}
