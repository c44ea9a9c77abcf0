/** Request/response calls from the server to Tentacles over a WebSocket, dialed either way. */
package dev.sepia.comms.rpc;
