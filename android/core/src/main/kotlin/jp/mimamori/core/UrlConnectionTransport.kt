/*
 * The phone core's HTTP transport on the JDK's java.net.HttpURLConnection (on Android
 * the platform's own implementation, with the system's trusted certificates), so the
 * Rust library carries no HTTP or TLS stack. It only moves bytes: the core builds the
 * URL, every header and the time limit, retries and maps statuses to errors. One
 * attempt per call, no redirects followed, no cache, no cookies; any HTTP status is an
 * answer. No URL, header or body ever reaches a log or an exception message.
 */
package jp.mimamori.core

import java.io.IOException
import java.io.InputStream
import java.net.HttpURLConnection
import java.net.SocketTimeoutException
import java.net.URI
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledExecutorService
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import uniffi.mobile_core.HttpHeader
import uniffi.mobile_core.HttpMethod
import uniffi.mobile_core.HttpRequest
import uniffi.mobile_core.HttpResponse
import uniffi.mobile_core.HttpTransport
import uniffi.mobile_core.TransportException

/**
 * Sends the core's requests with [HttpURLConnection]. Stateless and safe to share
 * between threads; pass one to `MimamoriCore.openWithTransport`.
 *
 * The request's `timeoutMs` bounds connecting, each read, and the whole exchange (a
 * watchdog closes the connection when the time is up).
 *
 * Retrying is the core's decision, so a POST must never be sent twice by the HTTP
 * stack itself. On Android (OkHttp inside HttpURLConnection) the body is streamed with
 * a fixed length, which OkHttp never replays. The desktop JDK loses the body of a 401
 * answer to a streamed request, so there the body is buffered and the JDK's own POST
 * retry is switched off for the process (`sun.net.http.retryPost=false`, set before the
 * first connection). A GET may still be repeated once by the stack; the API's GETs are
 * reads.
 */
class UrlConnectionTransport : HttpTransport {

    override fun send(request: HttpRequest): HttpResponse {
        val timeoutMs = request.timeoutMs.coerceIn(1uL, Int.MAX_VALUE.toULong()).toInt()
        val url = try {
            URI(request.url).toURL()
        } catch (e: Exception) {
            throw TransportException.Connect()
        }
        val conn = try {
            url.openConnection() as? HttpURLConnection
        } catch (e: IOException) {
            null
        } ?: throw TransportException.Connect()
        val timedOut = AtomicBoolean(false)
        val watchdog = deadlines.schedule({
            timedOut.set(true)
            conn.disconnect()
        }, timeoutMs.toLong(), TimeUnit.MILLISECONDS)
        var connected = false
        try {
            conn.instanceFollowRedirects = false
            conn.useCaches = false
            conn.connectTimeout = timeoutMs
            conn.readTimeout = timeoutMs
            conn.requestMethod = when (request.method) {
                HttpMethod.GET -> "GET"
                HttpMethod.POST -> "POST"
            }
            for (header in request.headers) conn.addRequestProperty(header.name, header.value)
            val post = request.method == HttpMethod.POST
            if (post) {
                conn.doOutput = true
                if (onAndroid) conn.setFixedLengthStreamingMode(request.body.size)
            }
            conn.connect()
            connected = true
            if (post) conn.outputStream.use { it.write(request.body) }
            val status = conn.responseCode
            if (status !in 100..599) throw TransportException.Broken()
            val headers = conn.headerFields.orEmpty().flatMap { (name, values) ->
                // The status line comes under a null name.
                if (name == null) emptyList() else values.orEmpty().map { HttpHeader(name, it) }
            }
            // 4xx and 5xx bodies come from the error stream; either may be absent.
            val stream: InputStream? = if (status >= 400) conn.errorStream else conn.inputStream
            val body = stream?.use { it.readBytes() } ?: ByteArray(0)
            if (timedOut.get()) throw TransportException.Timeout()
            return HttpResponse(status.toUShort(), headers, body)
        } catch (e: TransportException) {
            conn.disconnect()
            throw e
        } catch (e: IOException) {
            conn.disconnect()
            throw classify(e, connected, timedOut.get())
        } catch (e: RuntimeException) {
            // A malformed header or a closed connection inside the JDK: no answer.
            conn.disconnect()
            throw if (timedOut.get()) TransportException.Timeout() else TransportException.Broken()
        } finally {
            watchdog.cancel(false)
        }
    }

    private companion object {
        /** Android's runtime calls itself Dalvik (ART included). */
        val onAndroid: Boolean = System.getProperty("java.vm.name").orEmpty().equals("Dalvik", ignoreCase = true)

        init {
            // Read once, when the JDK's HTTP client class loads: set before any connection.
            if (!onAndroid) System.setProperty("sun.net.http.retryPost", "false")
        }

        /** One daemon thread closes connections whose time is up. */
        val deadlines: ScheduledExecutorService = Executors.newSingleThreadScheduledExecutor { task ->
            Thread(task, "mimamori-http-deadline").apply { isDaemon = true }
        }

        /** The core's three classes of "no answer". */
        fun classify(e: IOException, connected: Boolean, timedOut: Boolean): TransportException = when {
            timedOut || e is SocketTimeoutException -> TransportException.Timeout()
            // The certificate or an intercepting network: the secure connection failed.
            e is javax.net.ssl.SSLException -> TransportException.Tls()
            // Refused, unknown host, no route: nothing reached the server.
            !connected -> TransportException.Connect()
            else -> TransportException.Broken()
        }
    }
}
