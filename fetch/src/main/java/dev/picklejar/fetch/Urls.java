package dev.picklejar.fetch;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Parsing the URLs given and the Location headers met, and the key the per-host limit counts by. */
final class Urls {
    private Urls() {
    }

    /**
     * The URL as an absolute http or https URI without fragment (never sent), with a path of at
     * least {@code /}. A host in Unicode is turned into its ASCII form.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static URI parse(String url) {
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("invalid URL: empty");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL: " + e.getMessage());
        }
        return normalize(uri, url);
    }

    /** The target of a redirect: Location resolved against the URL that answered with it. */
    static URI resolve(URI base, String location) {
        URI ref;
        try {
            ref = new URI(location.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid redirect Location: " + e.getMessage());
        }
        return normalize(base.resolve(ref), location);
    }

    /** What the per-host limit counts by: scheme, host and port. */
    static String hostKey(URI uri) {
        return uri.getScheme() + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    /** Already what {@link #normalize} makes: the common case, worth not building anew. */
    private static boolean isNormal(URI uri) {
        String scheme = uri.getScheme();
        String path = uri.getRawPath();
        return ("http".equals(scheme) || "https".equals(scheme))
                && uri.getHost() != null && !uri.getHost().isEmpty()
                && path != null && path.startsWith("/")
                && uri.getRawFragment() == null
                && isAscii(uri.toString());
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equals("https") ? 443 : 80;
    }

    private static URI normalize(URI uri, String original) {
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("invalid URL: port " + uri.getPort() + " is out of range (0 to 65535): "
                    + original);
        }
        if (isNormal(uri)) {
            return uri;
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("invalid URL: no scheme (expected http:// or https://): " + original);
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("invalid URL: scheme " + scheme + " (expected http or https): " + original);
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null && uri.getRawAuthority() != null) {
            // java.net.URI leaves a non-ASCII host unparsed: take it from the authority.
            String authority = uri.getRawAuthority();
            int at = authority.lastIndexOf('@');
            String hostPort = authority.substring(at + 1);
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0 && hostPort.indexOf(']') < colon) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid URL: bad port: " + original);
                }
                if (port > 65535) {
                    throw new IllegalArgumentException("invalid URL: port " + port + " is out of range (0 to 65535): "
                            + original);
                }
                hostPort = hostPort.substring(0, colon);
            }
            try {
                host = IDN.toASCII(hostPort, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid URL: bad host: " + original);
            }
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("invalid URL: no host: " + original);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder s = new StringBuilder(original.length() + 8).append(scheme).append("://");
        if (uri.getRawUserInfo() != null) {
            s.append(uri.getRawUserInfo()).append('@');
        }
        s.append(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
        if (port != -1) {
            s.append(':').append(port);
        }
        s.append(path);
        if (uri.getRawQuery() != null) {
            s.append('?').append(uri.getRawQuery());
        }
        try {
            return new URI(new URI(s.toString()).toASCIIString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL: " + e.getMessage());
        }
    }
}
