/**
 * End-to-end tests across the functions: black-box HTTP against the local runner (default) or a deployed stage,
 * with real local stand-ins for push services.
 */
package io.pushcore.e2e;
