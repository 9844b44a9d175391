package io.pushcore.provider;

/**
 * The catalogue of per-receiver error codes. A receiver's error string is {@code CODE: reason}; the code prefix
 * is stable API, the reason is for humans.
 */
public enum ErrorCode {
    /** The receiver's {@code credentialId} is not one of this bucket's credentials. */
    UNKNOWN_CREDENTIAL,
    /** The device token is malformed or not valid for the credential (FCM/APNs). */
    INVALID_TOKEN,
    /** The web push endpoint or keys are malformed. */
    INVALID_SUBSCRIPTION,
    /** The receiver's address is not allowed (SSRF policy: private, loopback or non-https endpoint). */
    FORBIDDEN_ENDPOINT,
    /** The subscription or token is gone for good: the customer should delete this receiver. */
    UNREGISTERED,
    /** The encrypted payload does not fit the provider's limit. */
    PAYLOAD_TOO_LARGE,
    /** The provider refused the credential itself (bad VAPID JWT, APNs provider token, FCM auth). */
    CREDENTIAL_REJECTED,
    /** The provider refused the push for another permanent reason, given in the text. */
    PROVIDER_REJECTED,
    /** The provider stayed unavailable (5xx, 429, timeouts) until the request's time budget ran out. */
    PROVIDER_UNAVAILABLE;

    /** The wire form of an error: {@code CODE: reason}. */
    public String describe(String reason) {
        return name() + ": " + reason;
    }
}
