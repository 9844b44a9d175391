package io.pushcore.model;

/** What a context carries: a visible notification, a silent data push, or per-platform raw payloads. */
public sealed interface Content permits DataContent, SilentContent, RawContent {

    /** The customer's opaque string for the app ({@code onExternalData}); may be null. */
    String externalData();
}
