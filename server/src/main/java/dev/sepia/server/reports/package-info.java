/** Where the reports of destructive commands (lost-master-key, rotate-master-key) are written. */
package dev.sepia.server.reports;
