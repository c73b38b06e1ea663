/*
 * JUnit 5 tests of a sync the phone stops, on the REAL core (binding +
 * libmobile_core.so through JNA) with UrlConnectionTransport, against a server inside
 * the test that answers login and profile and then never answers an upload. A
 * SyncStop cancelled from another thread, a cancelled coroutine (a CoroutineWorker
 * being stopped) and a time limit each make the repository's sync return
 * ScreenError.Cancelled quickly; the report stays queued and no request starts after
 * the cancel.
 */
package jp.mimamori.core

import java.nio.file.Path
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SyncConfig

class SyncStopTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var server: SilentUploadServer

    /** Login and profile answer; an upload is read and never answered. */
    @BeforeEach
    fun start() {
        server = SilentUploadServer()
    }

    @AfterEach
    fun stop() {
        server.close()
    }

    /** A signed-in repository with one report waiting; [requestTimeoutMs] per request. */
    private fun signedIn(requestTimeoutMs: ULong?): CoreMimamoriRepository {
        val core = MimamoriCore.openWithTransport(dir.resolve("phone.db").toString(), server.url, UrlConnectionTransport())
        core.login("stop@example.jp", "Hoshi-zora-42", Language.EN)
        requestTimeoutMs?.let { core.setRequestTimeoutMs(it) }
        core.setSyncConfig(SyncConfig(batchSize = 100u, maxAttempts = 50u, baseDelayMs = 5_000uL, maxDelayMs = 20_000uL))
        val input = ReportInput("self", null, PersonKind.INFECTED, "36.8", List(9) { AnswerChoice.NO })
        core.saveReport(input, Language.EN)
        return CoreMimamoriRepository(core, Dispatchers.IO) { Language.EN }
    }

    private fun pending(repo: CoreMimamoriRepository): Long = runBlocking {
        (repo.todayStatus() as Outcome.Success).value.pendingSync.toLong()
    }

    @Test
    fun aStopCancelledFromAnotherThreadEndsTheSyncQuickly(): Unit = runBlocking {
        signedIn(requestTimeoutMs = 1_000uL).use { repo ->
            val stop = SyncStop()
            var cancelledAt = 0L
            val canceller = thread {
                Thread.sleep(300)
                cancelledAt = System.nanoTime()
                stop.cancel()
            }
            val result = repo.sync(stop)
            val afterCancelMs = (System.nanoTime() - cancelledAt) / 1_000_000
            canceller.join()
            println("android sync: returned $afterCancelMs ms after the cancel")
            assertTrue(result is Outcome.Failure && result.error is ScreenError.Cancelled, "$result")
            assertTrue((result as Outcome.Failure).error.tryLater)
            // The cancel met the upload on the network: its 1 s limit, then the call ends.
            assertTrue(afterCancelMs < 3_000, "$afterCancelMs ms after the cancel")
            assertEquals(1, server.uploads.get(), "no request after the cancel")
            assertEquals(1L, pending(repo), "the report stays queued")
            assertTrue(repo.sync(stop) is Outcome.Failure, "a cancelled stop stops later syncs at once")
            assertEquals(1, server.uploads.get())
        }
    }

    @Test
    fun aCancelledCoroutineEndsTheSync(): Unit = runBlocking {
        signedIn(requestTimeoutMs = 1_000uL).use { repo ->
            val job = launch { repo.sync() }
            delay(300)
            val start = System.nanoTime()
            job.cancelAndJoin()
            val ms = (System.nanoTime() - start) / 1_000_000
            println("android sync: a cancelled coroutine returned after $ms ms")
            assertTrue(ms < 3_000, "$ms ms")
            assertEquals(1, server.uploads.get())
            assertEquals(1L, pending(repo))
        }
    }

    @Test
    fun aTimeLimitBoundsTheUploadAgainstAServerThatNeverAnswers(): Unit = runBlocking {
        // The default 30 s request limit: the time limit cuts it to what is left.
        signedIn(requestTimeoutMs = null).use { repo ->
            val start = System.nanoTime()
            val result = repo.sync(timeLimitMs = 800)
            val ms = (System.nanoTime() - start) / 1_000_000
            println("android sync: a time limit of 800 ms returned after $ms ms")
            assertTrue(result is Outcome.Failure && result.error is ScreenError.Cancelled, "$result")
            assertTrue(ms < 800 + 2_000, "$ms ms")
            assertEquals(1L, pending(repo))
        }
    }
}
