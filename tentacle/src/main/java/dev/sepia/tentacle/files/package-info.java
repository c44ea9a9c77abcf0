/** File transfer for the server: hash-checked uploads and downloads under the files folder. */
package dev.sepia.tentacle.files;
