/*
 * The real MimamoriRepository: owns the generated MimamoriCore object (offline, or
 * connected to the server through UrlConnectionTransport), runs every call on an I/O
 * dispatcher so the main thread never waits for SQLite or the network, passes the
 * screen's language, and maps the core's CoreException into ScreenError. The only file
 * of the app that calls the generated binding's methods.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.CoreException
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.HttpTransport
import uniffi.mobile_core.KindView
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.MimamoriCoreInterface
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.SavedReport
import uniffi.mobile_core.SyncCancel
import uniffi.mobile_core.SyncStatus
import uniffi.mobile_core.TodayStatus
import uniffi.mobile_core.UrgentChecklistView

/**
 * Wraps [core] for the view models. [io] is where the core's blocking calls run;
 * [language] is read at each call, so a change of the phone's language shows on the
 * next load.
 */
class CoreMimamoriRepository(
    private val core: MimamoriCoreInterface,
    private val io: CoroutineDispatcher = Dispatchers.IO,
    private val language: () -> Language = { Language.JA },
) : MimamoriRepository, AutoCloseable {

    companion object {
        /**
         * Opens (or creates) the database at [path] on [io]. A damaged file gives
         * [ScreenError.Corrupt] and is left as it is.
         */
        suspend fun open(
            path: String,
            io: CoroutineDispatcher = Dispatchers.IO,
            language: () -> Language = { Language.JA },
        ): Outcome<CoreMimamoriRepository> = withContext(io) {
            try {
                Outcome.Success(CoreMimamoriRepository(MimamoriCore.open(path), io, language))
            } catch (e: CoreException) {
                Outcome.Failure(e.toScreenError())
            }
        }

        /**
         * Opens (or creates) the database at [path] on [io], connected to the server at
         * [serverUrl] (`https://…`; `http://` only to this device) through [transport],
         * the phone's own HTTP stack. A refused address gives [ScreenError.Invalid] for
         * `server_url`; a damaged file [ScreenError.Corrupt]. Nothing is sent yet.
         */
        suspend fun openWithServer(
            path: String,
            serverUrl: String,
            transport: HttpTransport = UrlConnectionTransport(),
            io: CoroutineDispatcher = Dispatchers.IO,
            language: () -> Language = { Language.JA },
        ): Outcome<CoreMimamoriRepository> = withContext(io) {
            try {
                Outcome.Success(CoreMimamoriRepository(MimamoriCore.openWithTransport(path, serverUrl, transport), io, language))
            } catch (e: CoreException) {
                Outcome.Failure(e.toScreenError())
            }
        }
    }

    override suspend fun questions(): List<QuestionView> = withContext(io) { core.questions(language()) }

    override suspend fun kinds(): List<KindView> = withContext(io) { core.kinds(language()) }

    override suspend fun saveReport(input: ReportInput): Outcome<SavedReport> =
        call { core, lang -> core.saveReport(input, lang) }

    override suspend fun todayStatus(personId: String): Outcome<TodayStatus> =
        call { core, lang -> core.todayStatus(personId, lang) }

    override suspend fun history(personId: String, days: Int): Outcome<List<HistoryDay>> =
        call { core, lang -> core.history(personId, days.coerceAtLeast(0).toUInt(), lang) }

    override suspend fun emergencyContact(): Outcome<EmergencyContact?> =
        call { core, _ -> core.emergencyContact() }

    override suspend fun setEmergencyContact(contact: EmergencyContact): Outcome<Unit> =
        call { core, lang -> core.setEmergencyContact(contact, lang) }

    override suspend fun urgentChecklist(): UrgentChecklistView =
        withContext(io) { core.urgentChecklist(language()) }

    override suspend fun checkUrgentSymptoms(input: ChecklistInput): Outcome<AdviceView> =
        call { core, lang -> core.checkUrgentSymptoms(input, lang) }

    override suspend fun sync(stop: SyncStop, timeLimitMs: Long?): Outcome<SyncStatus> = coroutineScope {
        // One core handle per call, fired by the shell's handle or by this coroutine's
        // cancellation. It is left to the binding's cleaner rather than closed here, as
        // the watcher may still fire it after the call returned (harmless then).
        val cancel = SyncCancel()
        val detach = stop.onCancel { cancel.cancel() }
        val watcher = launch {
            try {
                awaitCancellation()
            } finally {
                cancel.cancel()
            }
        }
        try {
            val limit = timeLimitMs?.coerceAtLeast(0)?.toULong()
            call { core, lang -> core.syncNowWith(cancel, limit, lang) }
        } finally {
            watcher.cancel()
            detach()
        }
    }

    /** Frees the native object; later calls fail. */
    override fun close() {
        (core as? AutoCloseable)?.close()
    }

    /** Runs [block] on [io] and turns a refused or failed call into a [ScreenError]. */
    private suspend fun <T> call(block: (MimamoriCoreInterface, Language) -> T): Outcome<T> =
        withContext(io) {
            try {
                Outcome.Success(block(core, language()))
            } catch (e: CoreException) {
                Outcome.Failure(e.toScreenError())
            }
        }
}

/** The one conversion point from the binding's error to what screens show. */
fun CoreException.toScreenError(): ScreenError = when (this) {
    is CoreException.Invalid -> ScreenError.Invalid(this.field, this.reason)
    is CoreException.Corrupt -> ScreenError.Corrupt
    is CoreException.Storage -> ScreenError.Storage(this.detail)
    is CoreException.Unauthorized -> ScreenError.LoginRequired(this.reason)
    is CoreException.Network -> ScreenError.Offline(this.reason)
    is CoreException.Throttled -> ScreenError.Throttled(
        this.retryAfterSeconds.coerceAtMost(Long.MAX_VALUE.toULong()).toLong(),
        this.reason,
    )
    is CoreException.Server -> ScreenError.Server(this.code, this.reason)
    is CoreException.SecureConnection -> ScreenError.SecureConnection(this.reason)
    is CoreException.NewerData -> ScreenError.NewerData
    is CoreException.UpdateRequired -> ScreenError.UpdateRequired(this.reason)
    is CoreException.Keystore -> ScreenError.Keystore(this.detail)
    is CoreException.Cancelled -> ScreenError.Cancelled(this.reason)
}
