/** Event-driven exchange of pickled objects with Python multiprocessing.connection peers, on Netty. */
package dev.picklejar.net;
