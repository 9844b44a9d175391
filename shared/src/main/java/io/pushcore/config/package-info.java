/**
 * Configuration shared by the three functions: {@link io.pushcore.config.SecretsConfigSourceFactory} reads the
 * master keys from AWS Secrets Manager at start-up, so they are never Lambda environment variables.
 */
package io.pushcore.config;
