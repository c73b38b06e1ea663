// XCTest tests of the daily reminder's scheduling and the background sync job on the
// REAL core. The reminder: a clock the test sets and a recording notification centre;
// the decisions are the core's `nextReminder` (today at 9:00 while nobody reported,
// tomorrow after a save or after it rang, the chosen time, off, permission not given),
// one for each of the next days so that they keep coming.
// The job: not signed in, "a sync cancelled by the worker" (a SyncStop cancelled from
// another thread, as a BGTask's expiration handler does) against a server that never
// answers, and a connection that breaks (try later); the report stays queued each time.
import Foundation
import MimamoriKit
import MimamoriKitTestSupport
import MobileCore
import XCTest

final class ReminderAndBackgroundSyncTests: CoreTestCase {
    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone.current
        return c
    }

    /// Today at `hour`:`minute`:`second` on this machine's clock and zone.
    private func today(_ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        calendar.date(bySettingHour: hour, minute: minute, second: second, of: Date())!
    }

    private func tomorrow(_ hour: Int, _ minute: Int) -> Date {
        calendar.date(byAdding: .day, value: 1, to: today(hour, minute))!
    }

    private func scheduler(_ service: any MimamoriService, at now: Date, center: RecordingNotificationCenter) -> ReminderScheduler {
        ReminderScheduler(service: service, center: center, clock: ReminderClock(now: { now }, timeZone: { TimeZone.current }))
    }

    private func pending(_ center: RecordingNotificationCenter) async -> RecordingNotificationCenter.Pending? {
        await center.pending[ReminderScheduler.notificationId]
    }

    func testTodayAtNineWhileNobodyReportedThenTomorrowAfterASave() async throws {
        let service = try await offline()
        let center = RecordingNotificationCenter()
        let reminders = scheduler(service, at: today(0, 1), center: center)

        let first = await reminders.reschedule()
        guard case let .scheduled(at, title, body) = first else { return XCTFail("\(first)") }
        XCTAssertEqual(at, today(9, 0))
        XCTAssertTrue(title.contains("みまもり"), title)
        XCTAssertFalse(body.isEmpty)
        let shown = await pending(center)
        XCTAssertEqual(shown?.date, today(9, 0))
        XCTAssertEqual(shown?.title, title)

        _ = try await service.saveReport(report("36.6"))
        await reminders.reschedule()
        let next = await pending(center)
        XCTAssertEqual(next?.date, tomorrow(9, 0), "reported today: tomorrow")
        let days = await center.pending.values.map(\.date).sorted()
        XCTAssertEqual(days.count, ReminderScheduler.maxDays, "a reminder for each of the next days, not only one")
        XCTAssertEqual(days, (1...ReminderScheduler.maxDays).map { calendar.date(byAdding: .day, value: $0, to: today(9, 0))! },
                       "every day at 9:00 from tomorrow: they keep coming though the app is not opened")
        let titles = await Set(center.pending.values.map(\.title))
        XCTAssertEqual(titles.count, 1, "each with the core's words")
    }

    func testAfterItRangTheNextIsTomorrow() async throws {
        let center = RecordingNotificationCenter()
        let reminders = scheduler(try await offline(), at: today(9, 0, 1), center: center)
        await reminders.reschedule()
        let next = await pending(center)
        XCTAssertEqual(next?.date, tomorrow(9, 0))
    }

    @MainActor
    func testAChosenTimeAndSwitchingItOffInTheSettings() async throws {
        let service = try await offline(.en)
        let center = RecordingNotificationCenter()
        let reminders = scheduler(service, at: today(0, 1), center: center)
        let settings = await SettingsModel(service: service, preferences: AppPreferences(defaults: UserDefaults(suiteName: UUID().uuidString)!), reminders: reminders)
        await settings.load()
        let loaded = await settings.state.reminder
        XCTAssertEqual(loaded, ReminderTime(hour: 9, minute: 0), "9:00 until one is chosen")

        await settings.setReminder(ReminderTime(hour: 20, minute: 30))
        let set = await pending(center)
        XCTAssertEqual(set?.date, today(20, 30))
        XCTAssertEqual(set?.title, "Mimamori: your daily health report")

        await settings.setReminder(ReminderTime(hour: 25, minute: 0))
        let refused = await settings.state.error
        XCTAssertEqual(refused?.field, "reminder_time")
        let kept = await pending(center)
        XCTAssertEqual(kept?.date, today(20, 30), "a refused time changes nothing")

        await settings.setReminder(nil)
        let off = await settings.state.reminderOutcome
        XCTAssertEqual(off, ReminderOutcome.none)
        let none = await pending(center)
        XCTAssertNil(none)
        let left = await center.pending.count
        XCTAssertEqual(left, 0, "every day's reminder is gone")
        let stored = try await service.reminderTime()
        XCTAssertNil(stored)
    }

    func testPermissionIsAskedOnlyWhenTheReminderIsChosen() async throws {
        let service = try await offline()
        let center = RecordingNotificationCenter(permission: .notAsked, answer: false)
        let reminders = scheduler(service, at: today(0, 1), center: center)
        let quiet = await reminders.reschedule()
        XCTAssertEqual(quiet, .notAllowed(.notAsked))
        var asked = await center.asked
        XCTAssertEqual(asked, 0, "never asked at launch")

        let refused = await reminders.askPermissionAndReschedule()
        XCTAssertEqual(refused, .notAllowed(.denied))
        asked = await center.asked
        XCTAssertEqual(asked, 1)
        let none = await pending(center)
        XCTAssertNil(none)

        let allowing = RecordingNotificationCenter(permission: .notAsked, answer: true)
        let outcome = await scheduler(service, at: today(0, 1), center: allowing).askPermissionAndReschedule()
        XCTAssertEqual(outcome, .scheduled(at: today(9, 0), title: "みまもり：健康状態の入力",
                                           body: "今日の体温と症状を入力してください。ご家族の分もお忘れなく。"))
    }

    func testTheJobDoesNothingBeforeAnAccountExists() async throws {
        let service = try await withServer()
        _ = try await service.saveReport(report("36.6"))
        let outcome = await BackgroundSync(service: service).run(stop: SyncStop())
        XCTAssertEqual(outcome, .notSignedIn)
        XCTAssertTrue(outcome.completed)
        let waiting = try await service.pendingSyncCount()
        XCTAssertEqual(waiting, 1)
    }

    /// A signed-in service whose uploads go to `uploads` (login and profile answered).
    private func signedIn(uploads: SocketServer) throws -> (CoreMimamoriService, StallingUploads) {
        let transport = StallingUploads(silent: uploads)
        let core = try MimamoriCore.openWithTransport(path: databasePath, serverUrl: "http://127.0.0.1:9", transport: transport)
        _ = try core.login(email: "job@example.jp", password: "Hoshi-zora-42", lang: .en)
        core.setRequestTimeoutMs(timeoutMs: 1_000)
        core.setSyncConfig(config: SyncConfig(batchSize: 100, maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100))
        _ = try core.saveReport(input: report("36.8"), lang: .en)
        return (CoreMimamoriService(core: core) { .en }, transport)
    }

    func testASyncCancelledByTheWorkerEndsPromptlyAndKeepsTheReport() async throws {
        let silent = try SocketServer(.silence)
        let (service, transport) = try signedIn(uploads: silent)
        let center = RecordingNotificationCenter()
        let job = BackgroundSync(service: service, reminders: scheduler(service, at: today(0, 1), center: center))
        let stop = SyncStop()
        let cancelledAt = LockedDate()
        // The BGTask's expiration handler runs on another thread.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            cancelledAt.set(Date())
            stop.cancel()
        }
        let outcome = await job.run(stop: stop)
        let after = Date().timeIntervalSince(cancelledAt.get() ?? Date())
        XCTAssertEqual(outcome, .stopped)
        XCTAssertFalse(outcome.completed)
        XCTAssertLessThan(after, 3.0, "returned within the request's limit after the cancel")
        XCTAssertEqual(transport.uploads, 1, "no request after the cancel")
        let waiting = try await service.pendingSyncCount()
        XCTAssertEqual(waiting, 1, "the report stays queued")
    }

    func testABrokenConnectionIsTryLaterAndTheReminderIsKeptUpToDate() async throws {
        let closing = try SocketServer(.close)
        let (service, _) = try signedIn(uploads: closing)
        let center = RecordingNotificationCenter()
        let job = BackgroundSync(service: service, reminders: scheduler(service, at: today(0, 1), center: center))
        let outcome = await job.run(stop: SyncStop(), timeLimitMs: 10_000)
        guard case let .tryLater(error) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(error.tryLater)
        let waiting = try await service.pendingSyncCount()
        XCTAssertEqual(waiting, 1)
        let next = await pending(center)
        XCTAssertEqual(next?.date, tomorrow(9, 0), "the owner reported today")
        XCTAssertEqual(BackgroundSync.nextRun(after: today(12, 0)), today(12, 30))
    }

    func testAServerThatStallsIsLeftAtTheTimeLimitAndTheReportKept() async throws {
        let silent = try SocketServer(.silence)
        let (service, transport) = try signedIn(uploads: silent)
        let job = BackgroundSync(service: service)
        let start = Date()
        let outcome = await job.run(stop: SyncStop(), timeLimitMs: 800)
        let took = Date().timeIntervalSince(start)
        print("ios background job: a stalled server left after \(Int(took * 1000)) ms (limit 800 ms)")
        XCTAssertEqual(outcome, .stopped)
        XCTAssertLessThan(took, 0.8 + 2.0, "within the limit and one request's end")
        XCTAssertEqual(transport.uploads, 1)
        let waiting = try await service.pendingSyncCount()
        XCTAssertEqual(waiting, 1, "the report stays queued")
        XCTAssertLessThan(BackgroundSync.taskTimeLimitMs, 30_000, "a background task's run ends before its 30 s")
    }

    @MainActor
    func testSendNowHasATimeLimitTooAndSaysTheSendingStopped() async throws {
        let silent = try SocketServer(.silence)
        let (service, _) = try signedIn(uploads: silent)
        let today = TodayModel(service: service, syncTimeLimitMs: 800)
        let start = Date()
        await today.syncNow()
        let took = Date().timeIntervalSince(start)
        XCTAssertLessThan(took, 0.8 + 2.0)
        XCTAssertFalse(today.state.syncing, "the spinner ends")
        guard case .cancelled? = today.state.syncError else { return XCTFail("expected the sending stopped, got \(String(describing: today.state.syncError))") }
        XCTAssertEqual(today.state.sync?.pending, 1, "the report stays queued")
    }

    func testAnUpdateRequiredInTheBackgroundIsNeedsUpdateNotAServerProblem() async throws {
        let body = #"{"error":"update_required","message":"Please update the app."}"#
        let old = try SocketServer(.answer("HTTP/1.1 426 Upgrade Required\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"))
        let (service, _) = try signedIn(uploads: old)
        let outcome = await BackgroundSync(service: service).run(stop: SyncStop(), timeLimitMs: 10_000)
        XCTAssertEqual(outcome, .needsUpdate)
        XCTAssertFalse(outcome.completed)
        let waiting = try await service.pendingSyncCount()
        XCTAssertEqual(waiting, 1, "the report waits for the updated app")
        // The app that opens after it shows how to update (and stays where it was).
        let app = await AppModel(service: service)
        await app.handle(outcome)
        let (update, screen) = await (app.state.updateRequired, app.state.screen)
        XCTAssertTrue(update, "every screen shows how to update")
        XCTAssertNotEqual(screen, .login, "an old app is not a sign-in problem")
    }

    @MainActor
    func testTheReminderIsOfferedWithItsReasonFirstAndAllowPlansIt() async throws {
        let service = try await offline()
        let center = RecordingNotificationCenter(permission: .notAsked, answer: true)
        let app = AppModel(service: service, reminders: scheduler(service, at: today(0, 1), center: center))
        await app.offerReminder()
        XCTAssertTrue(app.state.offeringReminder, "after sign-in, as after registration, the reason is shown")
        var asked = await center.asked
        XCTAssertEqual(asked, 0, "the system's dialog waits for the person's 'allow'")

        let outcome = await app.allowReminder()
        XCTAssertFalse(app.state.offeringReminder)
        asked = await center.asked
        XCTAssertEqual(asked, 1)
        guard case .scheduled(let at, _, _)? = outcome else { return XCTFail("\(String(describing: outcome))") }
        XCTAssertEqual(at, today(9, 0))

        // Asked once: a later sign-in offers nothing more.
        await app.offerReminder()
        XCTAssertFalse(app.state.offeringReminder)
    }

    @MainActor
    func testLaterLeavesThePhoneUnaskedAndNothingPlanned() async throws {
        let service = try await offline()
        let center = RecordingNotificationCenter(permission: .notAsked, answer: true)
        let app = AppModel(service: service, reminders: scheduler(service, at: today(0, 1), center: center))
        await app.offerReminder()
        XCTAssertTrue(app.state.offeringReminder)
        app.reminderLater()
        XCTAssertFalse(app.state.offeringReminder)
        let asked = await center.asked
        XCTAssertEqual(asked, 0)
        let planned = await center.pending.count
        XCTAssertEqual(planned, 0)
    }
}
