package io.pushcore.send;

import java.net.URI;
import java.util.Map;

/** Where a bucket's events go: nowhere, or a webhook with extra headers and an optional signing secret. */
public sealed interface CallbackConfig {

    record None() implements CallbackConfig {
    }

    record Http(URI url, Map<String, String> headers, String secret) implements CallbackConfig {

        public Http {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Http[url=" + url.getScheme() + "://" + url.getHost() + "/…]";
        }
    }
}
