package dev.picklejar.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The messages of the {@code multiprocessing.connection} handshake, following CPython 3.12's
 * {@code deliver_challenge}, {@code answer_challenge}, {@code _create_response} and
 * {@code _verify_challenge}. Pure functions; {@link HandshakeHandler} does the exchanging.
 */
final class AuthProtocol {
    static final byte[] CHALLENGE = ascii("#CHALLENGE#");
    static final byte[] WELCOME = ascii("#WELCOME#");
    static final byte[] FAILURE = ascii("#FAILURE#");
    /** Python reads every handshake message with {@code recv_bytes(256)}. */
    static final int MAX_MESSAGE = 256;
    /** Random bytes in a 3.12+ challenge (after the digest prefix). */
    static final int MESSAGE_LENGTH = 40;
    /** Random bytes in a 3.11 challenge; no 3.12 message has this length, so it marks a legacy server. */
    static final int LEGACY_MESSAGE_LENGTH = 20;
    static final int MD5_LENGTH = 16;
    /** The longest allowed digest name ({@code sha3_256}): the closing brace is looked for within it. */
    private static final int MAX_DIGEST_NAME = 8;

    private AuthProtocol() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The part of a challenge after {@code #CHALLENGE#}: the digest prefix and random bytes. */
    static byte[] newMessage(AuthDigest digest, SecureRandom random) {
        byte[] prefix = digest.prefix();
        int n = digest == AuthDigest.MD5_LEGACY ? LEGACY_MESSAGE_LENGTH : MESSAGE_LENGTH;
        byte[] message = Arrays.copyOf(prefix, prefix.length + n);
        byte[] noise = new byte[n];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, message, prefix.length, n);
        return message;
    }

    static byte[] challengeFrame(byte[] message) {
        return concat(CHALLENGE, message);
    }

    /**
     * The digest a challenge asks for or a response was made with ({@code _get_digest_name_and_payload}):
     * 16 or 20 bytes mean the legacy format; anything else must start with an allowed {@code {name}}.
     * Returns the length of the prefix in {@code prefixLength[0]}.
     */
    static AuthDigest digestOf(byte[] message, int[] prefixLength) throws AuthenticationException {
        if (message.length == LEGACY_MESSAGE_LENGTH || message.length == MD5_LENGTH) {
            prefixLength[0] = 0;
            return AuthDigest.MD5_LEGACY;
        }
        if (message.length > 0 && message[0] == '{') {
            int end = Math.min(message.length, MAX_DIGEST_NAME + 2);
            for (int i = 1; i < end; i++) {
                if (message[i] == '}') {
                    AuthDigest d = AuthDigest.ofPrefixName(new String(message, 1, i - 1, StandardCharsets.US_ASCII));
                    if (d != null) {
                        prefixLength[0] = i + 1;
                        return d;
                    }
                    break;
                }
            }
        }
        throw new AuthenticationException("unsupported message length, missing digest prefix, or unsupported digest: "
                + Printable.bytes(message, 40));
    }

    /**
     * This side's answer to a challenge message ({@code _create_response}): a bare HMAC-MD5 for a
     * legacy challenge, else {@code {name}} and the HMAC of the whole message with that digest. A side
     * that behaves as 3.11 ({@code legacyOnly}) answers every challenge with a bare HMAC-MD5.
     */
    static byte[] response(byte[] key, byte[] message, boolean legacyOnly) throws AuthenticationException {
        if (legacyOnly) {
            return hmac(AuthDigest.MD5_LEGACY, key, message);
        }
        AuthDigest d = digestOf(message, new int[1]);
        byte[] mac = hmac(d, key, message);
        return d == AuthDigest.MD5_LEGACY ? mac : concat(d.prefix(), mac);
    }

    /**
     * Checks a peer's answer to this side's challenge message ({@code _verify_challenge}) and returns
     * the digest the peer used. A bare 16-byte answer is HMAC-MD5; a prefixed one names its digest.
     * The comparison takes constant time.
     */
    static AuthDigest verify(byte[] key, byte[] message, byte[] response) throws AuthenticationException {
        int[] prefix = new int[1];
        AuthDigest d = digestOf(response, prefix);
        byte[] expected = hmac(d, key, message);
        int macLength = response.length - prefix[0];
        if (macLength != expected.length) {
            throw new AuthenticationException("expected '" + d.pythonName() + "' of length " + expected.length
                    + " got " + macLength);
        }
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(response, prefix[0], response.length))) {
            throw new AuthenticationException("digest received was wrong");
        }
        return d;
    }

    static byte[] hmac(AuthDigest digest, byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(digest.macAlgorithm());
            // HMAC pads a key with zero bytes to the block size, so an empty key (which Python allows
            // and SecretKeySpec refuses) gives the same MAC as a single zero byte.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, digest.macAlgorithm()));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + digest.macAlgorithm() + " is not available in this JVM", e);
        }
    }

    static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Bytes as Python prints them ({@code b'#WELCOME#'}), cut after {@code max} bytes. */
    static final class Printable {
        private Printable() {
        }

        static String bytes(byte[] data, int max) {
            StringBuilder sb = new StringBuilder("b'");
            int n = Math.min(data.length, max);
            for (int i = 0; i < n; i++) {
                int c = data[i] & 0xff;
                if (c == '\\' || c == '\'') {
                    sb.append('\\').append((char) c);
                } else if (c >= 0x20 && c < 0x7f) {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
            sb.append('\'');
            if (data.length > n) {
                sb.append("... (").append(data.length).append(" bytes)");
            }
            return sb.toString();
        }
    }
}
