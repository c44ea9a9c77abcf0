/** Backups: a portable archive of an instance's database and files, its restore and its proof. */
package dev.sepia.server.backup;
