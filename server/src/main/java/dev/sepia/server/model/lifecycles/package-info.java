/** Lifecycles: the ordered phases of environments a project's releases are promoted through. */
package dev.sepia.server.model.lifecycles;
