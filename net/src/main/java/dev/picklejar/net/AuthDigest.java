package dev.picklejar.net;

import java.nio.charset.StandardCharsets;

/**
 * The HMAC digests of the {@code multiprocessing.connection} handshake, as CPython 3.12+ names and
 * allows them ({@code md5}, {@code sha256}, {@code sha384}, {@code sha3_256}, {@code sha3_384}), plus
 * {@link #MD5_LEGACY}, the unprefixed HMAC-MD5 of Python 3.11 and earlier.
 *
 * <p>As the digest a side asks for, it shapes that side's challenge: {@code #CHALLENGE#{sha256}} and
 * 40 random bytes for the named digests, 20 random bytes without a prefix for {@code MD5_LEGACY}.
 * {@code MD5_LEGACY} also makes that side answer every challenge with a bare HMAC-MD5, as 3.11 does.
 * As what a peer answered with, it tells the peer's generation: a 3.11 peer answers
 * {@code MD5_LEGACY}.
 */
public enum AuthDigest {
    /** Python 3.11 and earlier: 20 random bytes, answered by a bare 16-byte HMAC-MD5. */
    MD5_LEGACY("md5", "HmacMD5", 16),
    /** {@code {md5}}: HMAC-MD5 with the 3.12 message format. */
    MD5("md5", "HmacMD5", 16),
    /** {@code {sha256}}: HMAC-SHA256, what Python 3.12+ asks for. */
    SHA256("sha256", "HmacSHA256", 32),
    /** {@code {sha384}}: HMAC-SHA384. */
    SHA384("sha384", "HmacSHA384", 48),
    /** {@code {sha3_256}}: HMAC-SHA3-256. */
    SHA3_256("sha3_256", "HmacSHA3-256", 32),
    /** {@code {sha3_384}}: HMAC-SHA3-384. */
    SHA3_384("sha3_384", "HmacSHA3-384", 48);

    private final String pythonName;
    private final String macAlgorithm;
    private final int length;

    AuthDigest(String pythonName, String macAlgorithm, int length) {
        this.pythonName = pythonName;
        this.macAlgorithm = macAlgorithm;
        this.length = length;
    }

    /** {@return the name Python's {@code hmac} module and the {@code {name}} prefix use, such as {@code sha256}} */
    public String pythonName() {
        return pythonName;
    }

    /** {@return the length of the HMAC in bytes} */
    public int length() {
        return length;
    }

    String macAlgorithm() {
        return macAlgorithm;
    }

    /** {@code {name}} as bytes; empty for {@link #MD5_LEGACY}. */
    byte[] prefix() {
        return this == MD5_LEGACY ? new byte[0] : ("{" + pythonName + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The digest with this prefixed name, or {@code null} when Python 3.12 does not allow it. */
    static AuthDigest ofPrefixName(String name) {
        for (AuthDigest d : values()) {
            if (d != MD5_LEGACY && d.pythonName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
