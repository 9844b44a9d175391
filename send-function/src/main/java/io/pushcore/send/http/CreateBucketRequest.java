package io.pushcore.send.http;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code POST /v1/bucket}: CORE's {@code CreateBucketDto}. */
public record CreateBucketRequest(
        @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid ProviderCredential> providerCredentials,
        @NotNull @Valid CallbackConfigRequest callbackConfig) {

    /** {@code payload}'s shape depends on {@code type}; it is read field by field so errors can name the field. */
    public record ProviderCredential(@NotBlank String type, @NotNull JsonNode payload) {

        @Override
        public String toString() {
            return "ProviderCredential[type=" + type + "]";
        }
    }

    public record CallbackConfigRequest(@NotBlank String type, CallbackPayload payload) {
    }

    public record CallbackPayload(String url, Map<String, String> headers, String secret) {

        @Override
        public String toString() {
            return "CallbackPayload[]";
        }
    }
}
