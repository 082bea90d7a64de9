/** The asynchronous page downloader. */
package dev.picklejar.fetch;
