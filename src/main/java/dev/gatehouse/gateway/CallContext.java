package dev.gatehouse.gateway;

import dev.gatehouse.identity.Caller;

/** Who asks, for what, through which endpoint: what every usage record of the call repeats. */
public record CallContext(Caller caller, String requestId, String endpoint, String requested, boolean stream,
    boolean includeUsage, Meter meter) {}
