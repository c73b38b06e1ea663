/*
 * Test support: repositories on the REAL phone core (binding + libmobile_core.so
 * through JNA) on a fresh database in a temporary folder, offline or opened with a
 * server address (nothing is sent until a call needs it); a small HTTP server that
 * accepts a sign-in and then never answers an upload (what a phone sees when the
 * network stalls); and report inputs. Nothing here makes up the core's wording.
 */
package jp.mimamori.core

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.nio.file.Path
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.Language
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput

/** The server address the "with server" cores are opened with (never reached). */
const val TEST_SERVER: String = "https://mimamori.example.jp"

/** A real repository on [dir]/name, offline. */
fun offlineCore(dir: Path, name: String = "phone.db", lang: Language = Language.JA): CoreMimamoriRepository =
    runBlocking { CoreMimamoriRepository.open(dir.resolve(name).toString(), Dispatchers.IO) { lang } }.orFail()

/** A real repository on [dir]/name opened with [server] through UrlConnectionTransport. */
fun serverCore(dir: Path, server: String = TEST_SERVER, name: String = "phone.db", lang: Language = Language.JA): CoreMimamoriRepository =
    runBlocking { CoreMimamoriRepository.openWithServer(dir.resolve(name).toString(), server, io = Dispatchers.IO) { lang } }.orFail()

/** The value of a success; fails the test with the error otherwise. */
fun <T> Outcome<T>.orFail(): T = when (this) {
    is Outcome.Success -> value
    is Outcome.Failure -> throw AssertionError("expected success, got $error")
}

/** Runs [block] on a real offline repository in [dir], closing it after. */
fun withOfflineCore(dir: Path, lang: Language = Language.JA, block: suspend CoroutineScope.(CoreMimamoriRepository) -> Unit) {
    offlineCore(dir, lang = lang).use { repo -> runBlocking { block(repo) } }
}

/** Today's (or [localDate]'s) report for [personId] with [temperature] and "yes" to [yes] (question ids). */
fun reportInput(
    temperature: String,
    vararg yes: String,
    personId: String = SELF_PERSON,
    localDate: String? = null,
    kind: PersonKind = PersonKind.INFECTED,
): ReportInput {
    val ids = listOf("face", "cough", "breathlessness", "fatigue", "nausea", "diarrhoea", "consciousness", "eating", "urination")
    return ReportInput(personId, localDate, kind, temperature, ids.map { if (it in yes) AnswerChoice.YES else AnswerChoice.NO })
}

/**
 * A server on 127.0.0.1 that answers sign-in, the profile and sign-out, and reads an
 * upload without ever answering it. [uploads] counts the uploads that arrived.
 */
class SilentUploadServer : AutoCloseable {
    private val pool = Executors.newCachedThreadPool { r -> Thread(r).apply { isDaemon = true } }
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)

    /** Uploads that reached the server. */
    val uploads = AtomicInteger()

    /** The server's address. */
    val url: String get() = "http://127.0.0.1:${server.address.port}"

    init {
        server.executor = pool
        server.createContext("/") { ex ->
            ex.requestBody.readBytes()
            if (ex.requestURI.path == "/api/v1/logout") {
                ex.sendResponseHeaders(204, -1)
                ex.close()
                return@createContext
            }
            val json = when (ex.requestURI.path) {
                "/api/v1/login" -> """{"token":"session-token","expires_at":"2030-01-01T00:00:00Z"}"""
                "/api/v1/profile" -> """{"kind":"infected","observation":"app","period_start":"2026-01-01",""" +
                    """"period_end":"2030-01-01","centre_name":"みなと保健所","emergency_number":"03-1234-5678"}"""
                else -> {
                    uploads.incrementAndGet()
                    Thread.sleep(30_000)
                    ex.close()
                    return@createContext
                }
            }.toByteArray()
            ex.responseHeaders.add("Content-Type", "application/json")
            ex.sendResponseHeaders(200, json.size.toLong())
            ex.responseBody.use { it.write(json) }
        }
        server.start()
    }

    override fun close() {
        server.stop(0)
        pool.shutdownNow()
        pool.awaitTermination(1, TimeUnit.SECONDS)
    }
}
