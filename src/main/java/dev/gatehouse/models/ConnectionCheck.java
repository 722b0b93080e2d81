package dev.gatehouse.models;

import dev.gatehouse.identity.Caller;

/**
 * Resolves the connection a serving spec names, for a caller who must hold USE_CONNECTION on it.
 * Implemented by the gateway, which owns connections; models only keep the link.
 */
@FunctionalInterface
public interface ConnectionCheck {
  /** The connection's id; 404 when it does not exist or is invisible, 403 without USE_CONNECTION. */
  String requireUse(Caller caller, String connectionName);
}
