/** aggregator-function's configuration ({@code aggregator.*}) and the CDI producers built from it. */
package io.pushcore.aggregator.config;
