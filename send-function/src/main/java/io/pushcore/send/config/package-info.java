/**
 * Configuration ({@code send.*}) and the CDI producers that build shared's plain-Java objects from it. Nothing
 * outside this package reads configuration keys.
 */
package io.pushcore.send.config;
