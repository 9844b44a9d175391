package io.pushcore.provider;

import io.pushcore.model.Address;
import io.pushcore.model.Push;

/**
 * Sends pushes with one provider credential (one VAPID key, one FCM project, one APNs key or certificate).
 * Instances are long-lived, thread-safe and hold pooled connections: keep one per credential while the function
 * is warm, and {@link #close()} it when the credential is dropped.
 */
public interface PushProvider extends AutoCloseable {

    /**
     * Makes one attempt to hand {@code push} to the provider for {@code address}. Blocks until the provider
     * answered or the attempt timed out; call it from a virtual thread when fanning out.
     *
     * <p>
     * Never throws for anything the provider or the network did: acceptance is {@link Delivery.Accepted}, a
     * permanent rejection is {@link Delivery.Rejected} (never worth retrying), and a transient failure (5xx,
     * 429, timeout, connection error) is {@link Delivery.Deferred}, which the caller may retry.
     */
    Delivery send(Push push, Address address);

    @Override
    void close();
}
