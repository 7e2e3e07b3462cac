package dev.sprox.http;

/** The request line and header fields of one request, as the server parsed and checked them. */
public record RequestHead(String method, RequestTarget target, String version, Headers headers) {

    public boolean isHttp11() {
        return "HTTP/1.1".equals(version);
    }

    public boolean isHead() {
        return "HEAD".equals(method);
    }
}
