package io.pushcore.provider.webpush;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * VAPID {@code Authorization} header values (RFC 8292) for one key pair and subject: an ES256 JWT per push-service
 * origin, cached and re-signed once less than {@link #RENEW_BEFORE} of its {@link #LIFETIME} remains, so a bulk
 * send signs once per origin instead of once per message. Thread-safe.
 */
public final class VapidTokens {

    /** Push services refuse {@code exp} more than 24 h ahead (autopush, Apple); 12 h leaves room for clock skew. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    public static final Duration RENEW_BEFORE = Duration.ofHours(6);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final VapidKeys keys;
    private final String subject;
    private final String publicKey;
    private final Clock clock;
    private final Map<String, Token> byOrigin = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException when {@code subject} is not a {@code mailto:} or {@code https:} URL
     *         without spaces (Apple refuses anything else)
     */
    public VapidTokens(VapidKeys keys, String subject, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (subject == null || !(subject.startsWith("mailto:") || subject.startsWith("https://"))
                || subject.chars().anyMatch(c -> Character.isWhitespace(c) || c == '<' || c == '>')) {
            throw new IllegalArgumentException("subject: must be a mailto: or https: URL without spaces");
        }
        this.subject = subject;
        this.publicKey = keys.publicKeyBase64Url();
    }

    public VapidTokens(VapidKeys keys, String subject) {
        this(keys, subject, Clock.systemUTC());
    }

    /** The {@code Authorization} header value for a request to {@code endpoint}: {@code vapid t=<jwt>, k=<key>}. */
    public String authorization(URI endpoint) {
        String origin = origin(endpoint);
        Instant now = clock.instant();
        // compute() holds the entry's lock while signing, so concurrent senders to one origin sign once.
        Token token = byOrigin.compute(origin,
                (o, current) -> current != null && current.freshAt(now) ? current : sign(o, now));
        return token.header();
    }

    /** {@code scheme://host[:port]}, lower-case, without a default port (the JWT's {@code aud}). */
    static String origin(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
                || (scheme.equals("http") && port == 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private Token sign(String origin, Instant now) {
        Instant expiresAt = now.plus(LIFETIME);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", origin);
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("sub", subject);
        try {
            String signingInput = HEADER + "." + B64.encodeToString(WebPushPayload.MAPPER.writeValueAsBytes(claims));
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(keys.privateKey());
            es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String jwt = signingInput + "." + B64.encodeToString(es256.sign());
            return new Token("vapid t=" + jwt + ", k=" + publicKey, expiresAt);
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("could not sign the VAPID JWT", e);
        }
    }

    private record Token(String header, Instant expiresAt) {

        boolean freshAt(Instant now) {
            return now.plus(RENEW_BEFORE).isBefore(expiresAt);
        }
    }
}
