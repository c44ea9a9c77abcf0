/** Environments: the ordered stages (Test, Production, …) that releases are deployed to. */
package dev.sepia.server.model.environments;
