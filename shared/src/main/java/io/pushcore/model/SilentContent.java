package io.pushcore.model;

/** A silent context: no UI, the apps only get {@code externalData} and report {@code delivered}. */
public record SilentContent(String externalData) implements Content {
}
