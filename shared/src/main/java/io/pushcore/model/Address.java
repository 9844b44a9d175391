package io.pushcore.model;

/** Where a push goes: a browser's Web Push subscription or a mobile device token. */
public sealed interface Address permits WebPushSubscription, DeviceToken {
}
