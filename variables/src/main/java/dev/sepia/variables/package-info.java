/**
 * Deployment variables: which definition applies to a target (scoping and precedence), the
 * substitution language ({@code #{Name}}, blocks and filters), and masking sensitive values in
 * output.
 */
package dev.sepia.variables;
