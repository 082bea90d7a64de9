package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuthProtocolTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // Expected values: python3 -c "import hmac; print(hmac.new(b'Jefe', b'what do ya want for nothing?', 'md5').hexdigest())"
    @Test
    void hmacsMatchPython() {
        byte[] key = ascii("Jefe");
        byte[] data = ascii("what do ya want for nothing?");
        assertEquals("750c783e6ab0b503eaa86e310a5db738",
                HexFormat.of().formatHex(AuthProtocol.hmac(AuthDigest.MD5, key, data)));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(AuthProtocol.hmac(AuthDigest.SHA256, key, data)));
        assertEquals("c7d4072e788877ae3596bbb0da73b887c9171f93095b294ae857fbe2645e1ba5",
                HexFormat.of().formatHex(AuthProtocol.hmac(AuthDigest.SHA3_256, key, data)));
    }

    // python3 -c "import hmac; print(hmac.new(b'', b'x', 'sha256').hexdigest())"
    @Test
    void anEmptyKeyWorksAsInPython() {
        assertEquals("4cbc96099a6467ce002461f10549b4898265ebe6188b45efacc44293516e62c4",
                HexFormat.of().formatHex(AuthProtocol.hmac(AuthDigest.SHA256, new byte[0], ascii("x"))));
    }

    @Test
    void aTwentyByteChallengeIsAnsweredWithABareMd5() throws Exception {
        byte[] message = new byte[20];
        assertArrayEquals(AuthProtocol.hmac(AuthDigest.MD5, ascii("k"), message),
                AuthProtocol.response(ascii("k"), message, false));
    }

    @Test
    void aPrefixedChallengeIsAnsweredWithItsDigestOverTheWholeMessage() throws Exception {
        byte[] message = AuthProtocol.concat(ascii("{sha384}"), new byte[40]);
        byte[] answer = AuthProtocol.response(ascii("k"), message, false);
        assertArrayEquals(AuthProtocol.concat(ascii("{sha384}"), AuthProtocol.hmac(AuthDigest.SHA384, ascii("k"), message)),
                answer);
        assertEquals(AuthDigest.SHA384, AuthProtocol.verify(ascii("k"), message, answer));
    }

    @Test
    void aBareSixteenByteAnswerIsAcceptedAsLegacyMd5() throws Exception {
        byte[] message = AuthProtocol.concat(ascii("{sha256}"), new byte[40]);
        byte[] answer = AuthProtocol.hmac(AuthDigest.MD5, ascii("k"), message);
        assertEquals(AuthDigest.MD5_LEGACY, AuthProtocol.verify(ascii("k"), message, answer));
    }

    @Test
    void answersOfTheWrongLengthOrDigestAreRefused() {
        byte[] message = AuthProtocol.concat(ascii("{sha256}"), new byte[40]);
        assertEquals("expected 'sha256' of length 32 got 3", assertThrows(AuthenticationException.class,
                () -> AuthProtocol.verify(ascii("k"), message, ascii("{sha256}abc"))).getMessage());
        assertEquals("unsupported message length, missing digest prefix, or unsupported digest: b'{sha1}abc'",
                assertThrows(AuthenticationException.class,
                        () -> AuthProtocol.verify(ascii("k"), message, ascii("{sha1}abc"))).getMessage());
        assertEquals("digest received was wrong", assertThrows(AuthenticationException.class,
                () -> AuthProtocol.verify(ascii("k"), message, new byte[16])).getMessage());
    }
}
