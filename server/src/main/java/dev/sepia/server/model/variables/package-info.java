/** Variables of projects and library variable sets, plain or sealed, with their scopes. */
package dev.sepia.server.model.variables;
