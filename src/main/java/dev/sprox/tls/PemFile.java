package dev.sprox.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -----BEGIN ...-----} blocks of a PEM file (RFC 7468, plus the RFC 1421 headers of traditional
 * encrypted keys). Text outside blocks is ignored, as OpenSSL does. {@link #problem} phrases every error with
 * what the file is for and its path, so an operator can tell which setting to fix.
 *
 * @param description what the file holds, e.g. "CA certificate bundle"
 */
record PemFile(Path path, String description, List<Block> blocks) {

    /** One block: its label ("CERTIFICATE", "RSA PRIVATE KEY", ...), header lines and decoded content. */
    record Block(String label, List<String> headers, byte[] content) {}

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([^-]+)-----");

    static PemFile read(Path path, String description) throws IOException {
        PemFile file = new PemFile(path, description, List.of());
        String text;
        try {
            // Latin-1 decodes any bytes, so a binary file reaches the "no PEM blocks" message instead of a charset error.
            text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw file.problem("file not found");
        } catch (AccessDeniedException e) {
            throw file.problem("permission denied");
        } catch (IOException e) {
            throw file.problem("cannot read: " + e.getMessage(), e);
        }
        return new PemFile(path, description, file.parse(text.lines().toList()));
    }

    /** The blocks with the given label, in file order. */
    List<Block> blocksLabelled(String label) {
        return blocks.stream().filter(block -> block.label().equals(label)).toList();
    }

    IOException problem(String what) {
        return new IOException(description + " " + path + ": " + what);
    }

    IOException problem(String what, Throwable cause) {
        return new IOException(description + " " + path + ": " + what, cause);
    }

    private List<Block> parse(List<String> lines) throws IOException {
        List<Block> found = new ArrayList<>();
        int index = 0;
        while (index < lines.size()) {
            Matcher begin = BEGIN.matcher(lines.get(index).strip());
            if (!begin.matches()) {
                index++;
                continue;
            }
            int beginLine = index + 1;
            String label = begin.group(1);
            String end = "-----END " + label + "-----";
            List<String> headers = new ArrayList<>();
            StringBuilder base64 = new StringBuilder();
            index++;
            while (index < lines.size() && !lines.get(index).strip().equals(end)) {
                String line = lines.get(index).strip();
                if (line.contains(":")) {
                    headers.add(line);
                } else {
                    base64.append(line);
                }
                index++;
            }
            if (index == lines.size()) {
                throw problem("-----BEGIN " + label + "----- on line " + beginLine + " has no " + end);
            }
            found.add(new Block(label, List.copyOf(headers), decode(base64.toString(), label, beginLine)));
            index++;
        }
        if (found.isEmpty()) {
            throw problem("no PEM blocks (-----BEGIN ...-----) found");
        }
        return List.copyOf(found);
    }

    private byte[] decode(String base64, String label, int beginLine) throws IOException {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw problem(label + " block on line " + beginLine + " is not valid base64: " + e.getMessage());
        }
    }
}
