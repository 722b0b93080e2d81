package dev.gatehouse.gateway;

/** What a connection securable connects to, as stored. */
public record ConnectionRow(String securableId, ConnectionType connectionType, String options,
    String apiKeyCiphertext, String apiKeyHint) {}
