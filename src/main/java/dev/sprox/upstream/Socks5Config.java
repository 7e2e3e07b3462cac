package dev.sprox.upstream;

import dev.sprox.security.Secret;
import java.util.Optional;

/** A SOCKS5 server to reach the origin through; names are resolved by the SOCKS server (socks5h). */
public record Socks5Config(String host, int port, Optional<String> username, Optional<Secret> password) {}
