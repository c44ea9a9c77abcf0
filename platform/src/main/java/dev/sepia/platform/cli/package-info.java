/** picocli plumbing shared by sepia-server and sepia-tentacle: errors, options, prompts, JSON. */
package dev.sepia.platform.cli;
