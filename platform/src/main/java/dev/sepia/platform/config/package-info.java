/** An instance's flat settings file, and masking of secrets when settings are shown. */
package dev.sepia.platform.config;
