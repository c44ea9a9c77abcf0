/** Scheduled backups: the schedule, the retention rule, the "Backup" task and its scheduler. */
package dev.sepia.server.engine.backups;
