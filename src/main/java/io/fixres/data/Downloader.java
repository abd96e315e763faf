package io.fixres.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Copies a remote resource to a local file; injectable so tests need no network. */
@FunctionalInterface
public interface Downloader {
    /** Writes the resource at {@code url} to {@code target}, overwriting it; any failure is an IOException. */
    void download(URI url, Path target) throws IOException;

    /**
     * Plain HTTP(S) GET with a connect timeout; anything but status 200 is a failure. The client
     * (and its selector thread) is only created when a download actually happens.
     */
    static Downloader http(Duration connectTimeout) {
        return (url, target) -> {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(url).GET().build();
            try {
                HttpResponse<Path> response = client.send(request, HttpResponse.BodyHandlers.ofFile(target));
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP status " + response.statusCode() + " for " + url);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + url);
            } catch (IOException e) {
                if (e.getMessage() == null) { // e.g. a bare ConnectException when the network is closed
                    throw new IOException(e.getClass().getSimpleName() + " for " + url, e);
                }
                throw e;
            }
        };
    }
}
