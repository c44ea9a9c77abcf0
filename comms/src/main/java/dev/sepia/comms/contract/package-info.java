/** The services a Tentacle offers the server: method names, their JSON records, a typed client. */
package dev.sepia.comms.contract;
