package io.pushcore.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The CDN bucket as the public sees it in AWS: anonymous GET/HEAD of keys under {@code keyPrefix} only (the template's
 * bucket policy grants {@code s3:GetObject} on {@code images/*} and nothing else), here under {@code pathPrefix} of
 * the local API base URL, so the image URLs send-function hands out resolve locally.
 */
public record PublicBucket(String pathPrefix, S3Client s3, String bucket, String keyPrefix) {

    private static final HttpApiEvents.Response NOT_FOUND = new HttpApiEvents.Response(404,
            List.of(Map.entry("content-type", "application/xml")),
            "<Error><Code>NoSuchKey</Code></Error>".getBytes(StandardCharsets.UTF_8));

    boolean handles(String rawPath) {
        return rawPath.startsWith(pathPrefix);
    }

    /** The object's bytes with its stored content type and cache header, or S3's 403/404 for anything else. */
    HttpApiEvents.Response serve(String method, String rawPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new HttpApiEvents.Response(403, List.of(Map.entry("content-type", "application/xml")),
                    "<Error><Code>AccessDenied</Code></Error>".getBytes(StandardCharsets.UTF_8));
        }
        String key = URLDecoder.decode(rawPath.substring(pathPrefix.length()), StandardCharsets.UTF_8);
        if (!key.startsWith(keyPrefix) || key.contains("..")) {
            return NOT_FOUND;
        }
        return find(key).map(object -> {
            GetObjectResponse meta = object.response();
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(Map.entry("content-type", Optional.ofNullable(meta.contentType())
                    .orElse("application/octet-stream")));
            if (meta.cacheControl() != null) {
                headers.add(Map.entry("cache-control", meta.cacheControl()));
            }
            if (meta.eTag() != null) {
                headers.add(Map.entry("etag", meta.eTag()));
            }
            return new HttpApiEvents.Response(200, headers, object.asByteArray());
        }).orElse(NOT_FOUND);
    }

    private Optional<ResponseBytes<GetObjectResponse>> find(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }
}
