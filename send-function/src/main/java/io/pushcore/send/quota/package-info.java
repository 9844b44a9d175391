/**
 * Per-token quotas: the use cases a limit can be set for, the limits themselves, and the limiter that enforces them
 * across instances through a shared fixed-window counter in the state bucket ({@link QuotaLimiter}).
 */
package io.pushcore.send.quota;
