/** File plumbing shared by the platform packages: atomic owner-only writes and lock files. */
package dev.sepia.platform;
