package dev.sprox.probe;

import java.net.URI;

/**
 * One thing the probe verified.
 *
 * @param what   {@code master}, {@code media}, {@code segment}, {@code key}, {@code init}, {@code live}
 * @param detail what was seen when it passed; why it failed otherwise
 */
public record Check(String what, URI uri, boolean passed, String detail) {

    static Check pass(String what, URI uri, String detail) {
        return new Check(what, uri, true, detail);
    }

    static Check fail(String what, URI uri, String why) {
        return new Check(what, uri, false, why);
    }
}
