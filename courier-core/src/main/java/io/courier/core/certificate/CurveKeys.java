package io.courier.core.certificate;

import io.courier.core.ConfigException;
import org.zeromq.ZMQ;

/** CURVE keys as Z85 text (40 characters for 32 bytes, ZeroMQ RFC 32): checks and conversions. Stateless. */
public final class CurveKeys {
    /** Length of a Z85-encoded CURVE key. */
    public static final int Z85_LENGTH = 40;
    private static final String ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private CurveKeys() {
    }

    /** Null when {@code key} is a well-formed Z85 CURVE key, else what is wrong with it. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "no key given";
        }
        if (key.length() != Z85_LENGTH) {
            return "a CURVE key is " + Z85_LENGTH + " Z85 characters, got " + key.length();
        }
        for (int i = 0; i < key.length(); i++) {
            if (ALPHABET.indexOf(key.charAt(i)) < 0) {
                return "'" + key.charAt(i) + "' at position " + (i + 1) + " is not a Z85 character";
            }
        }
        return null;
    }

    /** The 32 bytes of a Z85 key; throws {@link ConfigException} naming {@code what} when malformed. */
    public static byte[] decode(String what, String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new ConfigException(what + ": not a CURVE key: " + problem);
        }
        byte[] bytes = ZMQ.Curve.z85Decode(key);
        if (bytes == null || bytes.length != 32) {
            throw new ConfigException(what + ": not a CURVE key: Z85 decoding failed");
        }
        return bytes;
    }

    /** The Z85 text of 32 key bytes. */
    public static String encode(byte[] key) {
        return ZMQ.Curve.z85Encode(key);
    }
}
