/** Running a Sepia program as a service: systemd where it runs, a detached process elsewhere. */
package dev.sepia.platform.service;
