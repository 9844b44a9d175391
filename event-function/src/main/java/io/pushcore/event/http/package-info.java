/** event-function's HTTP boundary: the event resource, the error body and the exception mapper. */
package io.pushcore.event.http;
