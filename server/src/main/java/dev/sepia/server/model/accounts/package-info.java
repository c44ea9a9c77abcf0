/** Accounts that targets and steps sign in with: their kinds, rules and sealed secrets. */
package dev.sepia.server.model.accounts;
