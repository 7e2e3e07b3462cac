package dev.sprox.security;

import java.net.InetAddress;

/** Why a destination may not be fetched. {@link #reason()} is a few words for the client; the rest is for logs. */
public sealed interface Refusal {

    String reason();

    record BadScheme(String scheme) implements Refusal {
        @Override
        public String reason() {
            return "destination scheme must be http or https";
        }
    }

    record NotAllowlisted(String host) implements Refusal {
        @Override
        public String reason() {
            return "destination is not allowlisted";
        }
    }

    /** Not a host anyone should connect to: invalid, or an address spelt in a way libraries read differently. */
    record MalformedHost(String host, String why) implements Refusal {
        @Override
        public String reason() {
            return "destination host refused: " + why;
        }
    }

    /** The reason names the kind of address, never the address: that would tell a client what a name resolves to. */
    record ForbiddenAddress(String host, InetAddress address, AddressCategory category) implements Refusal {
        @Override
        public String reason() {
            return "destination address is " + category.description();
        }
    }

    record Unresolvable(String host) implements Refusal {
        @Override
        public String reason() {
            return "destination host does not resolve";
        }
    }
}
