/** The audit log: who changed what, and when. Never holds secret values. */
package dev.sepia.server.audit;
