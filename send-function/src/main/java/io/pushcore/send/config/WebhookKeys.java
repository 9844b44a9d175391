package io.pushcore.send.config;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.inject.Qualifier;

/**
 * The {@code CredentialCipher} over the webhook key ring ({@code send.security.webhook-keys}), which seals webhook
 * callbacks; the unqualified one seals provider credentials. Separate so the aggregator, which opens callbacks,
 * never holds a key that opens credentials.
 */
@Qualifier
@Retention(RUNTIME)
@Target({ METHOD, FIELD, PARAMETER, TYPE })
public @interface WebhookKeys {
}
