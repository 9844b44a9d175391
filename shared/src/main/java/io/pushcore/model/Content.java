package io.pushcore.model;

/** What a context carries: a visible notification or a silent data push. */
public sealed interface Content permits DataContent, SilentContent {

    /** The customer's opaque string for the app ({@code onExternalData}); may be null. */
    String externalData();
}
