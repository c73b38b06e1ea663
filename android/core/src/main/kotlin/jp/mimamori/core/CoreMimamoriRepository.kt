/*
 * The real MimamoriRepository: owns the generated MimamoriCore object (offline, or
 * connected to the server through UrlConnectionTransport), runs every call on an I/O
 * dispatcher so the main thread never waits for SQLite or the network, passes the
 * screen's language, and maps the core's CoreException into ScreenError (anything
 * unforeseen into ScreenError.Unexpected). The only file of the app that calls the
 * generated binding's methods.
 */
package jp.mimamori.core

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.ChecklistInput
import uniffi.mobile_core.CoreException
import uniffi.mobile_core.DataRequestInput
import uniffi.mobile_core.DataRequestView
import uniffi.mobile_core.DisclosureView
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.FailedReport
import uniffi.mobile_core.HistoryDay
import uniffi.mobile_core.HttpTransport
import uniffi.mobile_core.KindView
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.MimamoriCoreInterface
import uniffi.mobile_core.NoticeView
import uniffi.mobile_core.PasswordRuleView
import uniffi.mobile_core.PersonSyncStatus
import uniffi.mobile_core.PersonView
import uniffi.mobile_core.ProfileView
import uniffi.mobile_core.QuestionView
import uniffi.mobile_core.RegistrationProgress
import uniffi.mobile_core.ReminderPlan
import uniffi.mobile_core.ReminderTime
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
            guarded { CoreMimamoriRepository(MimamoriCore.open(path), io, language) }
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
            guarded { CoreMimamoriRepository(MimamoriCore.openWithTransport(path, serverUrl, transport), io, language) }
        }
    }

    override suspend fun questions(): Outcome<List<QuestionView>> = call { core, lang -> core.questions(lang) }

    override suspend fun kinds(): Outcome<List<KindView>> = call { core, lang -> core.kinds(lang) }

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

    override suspend fun openLeafletLink(link: String): Outcome<EmergencyContact> =
        call { core, lang -> core.openLeafletLink(link, lang) }

    override suspend fun urgentChecklist(): Outcome<UrgentChecklistView> =
        call { core, lang -> core.urgentChecklist(lang) }

    override suspend fun checkUrgentSymptoms(input: ChecklistInput): Outcome<AdviceView> =
        call { core, lang -> core.checkUrgentSymptoms(input, lang) }

    override suspend fun syncStatus(): Outcome<SyncStatus> = call { core, _ -> core.syncStatus() }

    override suspend fun failedReports(): Outcome<List<FailedReport>> = call { core, _ -> core.failedReports() }

    override suspend fun retryFailed(): Outcome<Long> = call { core, _ -> core.retryFailed().toLongClamped() }

    override suspend fun pendingSyncCount(): Outcome<Long> = call { core, _ -> core.pendingSyncCount().toLongClamped() }

    override suspend fun requestCode(email: String): Outcome<Long> =
        call { core, lang -> core.requestCode(email, lang).toLongClamped() }

    override suspend fun verifyCode(code: String): Outcome<Unit> = call { core, lang -> core.verifyCode(code, lang) }

    override suspend fun passwordRule(password: String): Outcome<PasswordRuleView> =
        call { core, lang -> core.passwordRule(password, lang) }

    override suspend fun setPassword(password: String): Outcome<Unit> =
        call { core, lang -> core.setPassword(password, lang) }

    override suspend fun submitAttributes(name: String, dateOfBirth: String, phone: String, inputId: String): Outcome<ProfileView> =
        call { core, lang -> core.submitAttributes(name, dateOfBirth, phone, inputId, lang) }

    override suspend fun registrationProgress(): Outcome<RegistrationProgress?> =
        call { core, _ -> core.registrationProgress() }

    override suspend fun cancelRegistration(): Outcome<Unit> = call { core, _ -> core.cancelRegistration() }

    override suspend fun login(email: String, password: String): Outcome<ProfileView> =
        call { core, lang -> core.login(email, password, lang) }

    override suspend fun logout(): Outcome<Unit> = call { core, lang -> core.logout(lang) }

    override suspend fun isLoggedIn(): Outcome<Boolean> = call { core, _ -> core.isLoggedIn() }

    override suspend fun profile(): Outcome<ProfileView?> = call { core, _ -> core.profile() }

    override suspend fun people(): Outcome<List<PersonView>> = call { core, lang -> core.people(lang) }

    override suspend fun personSyncStatus(personId: String): Outcome<PersonSyncStatus> =
        call { core, lang -> core.personSyncStatus(personId, lang) }

    override suspend fun addHouseholdMember(name: String, dateOfBirth: String, phone: String, inputId: String): Outcome<PersonView> =
        call { core, lang -> core.addHouseholdMember(name, dateOfBirth, phone, inputId, lang) }

    override suspend fun removeHouseholdMember(personId: String): Outcome<Unit> =
        call { core, lang -> core.removeHouseholdMember(personId, lang) }

    override suspend fun reminderTime(): Outcome<ReminderTime?> = call { core, _ -> core.reminderTime() }

    override suspend fun setReminderTime(time: ReminderTime?): Outcome<Unit> =
        call { core, lang -> core.setReminderTime(time, lang) }

    override suspend fun nextReminder(nowEpochMs: Long, utcOffsetMinutes: Int): Outcome<ReminderPlan?> =
        call { core, lang -> core.nextReminder(nowEpochMs, utcOffsetMinutes, lang) }

    override suspend fun dataHandlingNotice(): Outcome<NoticeView> = call { core, lang -> core.dataHandlingNotice(lang) }

    override suspend fun fileDataRequest(input: DataRequestInput): Outcome<DataRequestView> =
        call { core, lang -> core.fileDataRequest(input, lang) }

    override suspend fun dataRequests(): Outcome<List<DataRequestView>> = call { core, lang -> core.dataRequests(lang) }

    override suspend fun dataDisclosure(): Outcome<DisclosureView> = call { core, lang -> core.dataDisclosure(lang) }

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
        withContext(io) { guarded { block(core, language()) } }
}

/**
 * Runs [block] and turns any failure into an [Outcome.Failure]: the core's own errors
 * through [toScreenError], anything else (a failure inside the native library, a call
 * on a closed core) as [ScreenError.Unexpected] naming the class only, so a screen
 * shows a message instead of crashing. A coroutine's cancellation passes through.
 */
internal inline fun <T> guarded(block: () -> T): Outcome<T> =
    try {
        Outcome.Success(block())
    } catch (e: CoreException) {
        Outcome.Failure(e.toScreenError())
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        Outcome.Failure(ScreenError.Unexpected(e.javaClass.simpleName))
    } catch (e: LinkageError) {
        // The native library is missing or does not match the binding.
        Outcome.Failure(ScreenError.Unexpected(e.javaClass.simpleName))
    }

/** A count from the core as a Long, capped (the core's counts are far below it). */
private fun ULong.toLongClamped(): Long = coerceAtMost(Long.MAX_VALUE.toULong()).toLong()

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
