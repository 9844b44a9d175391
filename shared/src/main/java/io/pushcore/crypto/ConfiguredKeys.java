package io.pushcore.crypto;

import java.util.Base64;

/** Secrets read from configuration: decoding errors name the setting, never the value. */
final class ConfiguredKeys {

    private ConfiguredKeys() {
    }

    /**
     * @param setting how the operator finds it, e.g. {@code send.security.message-id-key (SEND_SECURITY_MESSAGE_ID_KEY)}
     * @throws IllegalStateException when {@code base64} is not base64 or decodes to fewer than {@code minBytes} or
     *         more than {@code maxBytes} bytes
     */
    static byte[] decode(String base64, String setting, int minBytes, int maxBytes) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is not valid base64");
        }
        if (key.length < minBytes || key.length > maxBytes) {
            throw new IllegalStateException(setting + " must be base64 of " + (minBytes == maxBytes
                    ? "exactly " + minBytes : "at least " + minBytes) + " bytes");
        }
        return key;
    }
}
