/** Test support for the aggregator: AWS stand-ins, a controllable clock and a local webhook receiver. */
package io.pushcore.aggregator.support;
