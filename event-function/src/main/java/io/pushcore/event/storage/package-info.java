/** The event queue behind event-function: an interface and its SQS implementation. */
package io.pushcore.event.storage;
