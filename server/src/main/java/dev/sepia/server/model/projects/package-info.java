/** Projects and their deployment processes: the ordered steps run for each deployment. */
package dev.sepia.server.model.projects;
