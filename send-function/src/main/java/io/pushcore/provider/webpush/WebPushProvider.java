package io.pushcore.provider.webpush;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.pushcore.model.Address;
import io.pushcore.model.Push;
import io.pushcore.model.WebPushSubscription;
import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.provider.PushProvider;

// TEMPORARY stand-in for helper A's shared class (no encryption); deleted when main has the real one.
public final class WebPushProvider implements PushProvider {
    private final WebPushTransport transport;

    public WebPushProvider(VapidKeys keys, String subject, WebPushTransport transport) {
        this.transport = transport;
    }

    @Override
    public Delivery send(Push push, Address address) {
        WebPushSubscription s = (WebPushSubscription) address;
        try {
            HttpResponse<Void> r = transport.client.send(HttpRequest.newBuilder(s.endpoint())
                    .timeout(transport.requestTimeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(WebPushPayload.json(push))).build(),
                    HttpResponse.BodyHandlers.discarding());
            int c = r.statusCode();
            if (c == 201 || c == 200) {
                return new Delivery.Accepted(null);
            }
            if (c == 404 || c == 410) {
                return new Delivery.Rejected(ErrorCode.UNREGISTERED, "push service answered " + c);
            }
            if (c == 429 || c >= 500) {
                return new Delivery.Deferred("push service answered " + c,
                        r.headers().firstValue("retry-after").map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null));
            }
            return new Delivery.Rejected(ErrorCode.PROVIDER_REJECTED, "push service answered " + c);
        } catch (java.io.IOException e) {
            return new Delivery.Deferred(e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Deferred("interrupted", null);
        }
    }

    @Override
    public void close() {
    }
}
