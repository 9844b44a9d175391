/** event-function's configuration ({@code event.*}) and the CDI producers that build shared objects from it. */
package io.pushcore.event.config;
