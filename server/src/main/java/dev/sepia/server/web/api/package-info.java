/** REST resources under /api: targets, tasks, … Each class is one resource. */
package dev.sepia.server.web.api;
