package io.pushcore.route;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where a bucket's events go ({@code callbackConfig}): nowhere, or a webhook with the customer's extra headers and
 * an optional Standard Webhooks signing secret. Headers and secret are secrets: {@link Http#toString()} hides them.
 */
public sealed interface Callback {

    record None() implements Callback {
    }

    record Http(URI url, Map<String, String> headers, String secret) implements Callback {

        public Http {
            Objects.requireNonNull(url, "url");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            secret = secret == null || secret.isEmpty() ? null : secret;
        }

        @Override
        public String toString() {
            return "Http[url=" + url.getScheme() + "://" + url.getHost() + "/…]";
        }
    }
}
