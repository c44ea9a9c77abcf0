/** Which servers this Tentacle obeys, and how it talks to each (listening or polling). */
package dev.sepia.tentacle.trust;
