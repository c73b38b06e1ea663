// The one phone core of the app, shared by the screens and the background refresh
// (one SQLite writer): opened once, on first use, off the main actor, in Application
// Support, connected to the server named in Info.plist (`MimamoriServerURL`) through
// URLSessionTransport. The folder is readable after the first unlock, like the
// core's Keychain entries (`AfterFirstUnlockThisDeviceOnly`), so a background refresh
// can send while the phone is locked. Also the reminder's scheduler and the sync job,
// and where the job's outcome goes once the screens show (AppOutcomes).
import Foundation
import MimamoriKit
import MobileCore

actor AppServices {
    static let shared = AppServices()

    nonisolated let preferences = AppPreferences()
    private var opening: Task<CoreMimamoriService, Error>?
    private var scheduler: ReminderScheduler?

    /// The opened core (opened on the first call).
    func service() async throws -> CoreMimamoriService {
        if let opening {
            return try await opening.value
        }
        let preferences = self.preferences
        let task = Task { try await Self.open(preferences) }
        opening = task
        do {
            return try await task.value
        } catch {
            opening = nil
            throw error
        }
    }

    /// The daily reminder's scheduler over UNUserNotificationCenter.
    func reminders() async throws -> ReminderScheduler {
        if let scheduler { return scheduler }
        let made = ReminderScheduler(service: try await service(), center: UserNotificationCenterPort())
        scheduler = made
        return made
    }

    /// The background upload job.
    func job() async throws -> BackgroundSync {
        BackgroundSync(service: try await service(), reminders: try await reminders())
    }

    private static func open(_ preferences: AppPreferences) async throws -> CoreMimamoriService {
        let files = FileManager.default
        let folder = try files.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        // New files in the folder (the database, its WAL) take its protection class.
        try files.setAttributes([.protectionKey: FileProtectionType.completeUntilFirstUserAuthentication], ofItemAtPath: folder.path)
        guard let server = ServerAddress.from(info: Bundle.main.infoDictionary) else {
            throw ServiceError.unexpected(detail: "Info.plist \(ServerAddress.infoKey) missing")
        }
        return try await CoreMimamoriService.open(
            path: folder.appendingPathComponent("mimamori.db").path,
            serverUrl: server,
            transport: URLSessionTransport(),
            language: { preferences.language() }
        )
    }
}

/// Where the background job's outcome goes once the screens show: the navigation model
/// (an ended session → sign-in, an app too old → how to update, home's queue redrawn).
@MainActor
enum AppOutcomes {
    static weak var app: AppModel?

    /// Sends the waiting reports now: through the screens' model when they show, so its
    /// outcome reaches them; else the job alone.
    static func syncSoon() async {
        if let app {
            await app.syncSoon()
        } else if let job = try? await AppServices.shared.job() {
            _ = await job.run(stop: SyncStop())
        }
    }

    /// The background task's outcome, told to the screens (if they show).
    static func report(_ outcome: BackgroundSyncOutcome) async {
        guard let app else { return }
        app.handle(outcome)
        await app.main?.today.refresh()
    }
}
