// The background upload job: what the app's BGAppRefreshTask handler runs (and what
// runs after a save and when the network comes back). It sends the queue through the
// service, stops promptly when its SyncStop is cancelled (call `stop.cancel()` from the
// task's expirationHandler) or its time limit passes (a background task's 25 s unless
// told otherwise), then brings the daily reminder up
// to date, and says whether the task completed and when to ask for the next run.
// Nothing is lost when it stops: the rest stays queued in the core.
import Foundation
import MobileCore

/// How a background sync ended.
public enum BackgroundSyncOutcome: Equatable, Sendable {
    /// The queue was sent; the status after it.
    case sent(SyncStatus)
    /// No account on this phone yet: nothing can be sent.
    case notSignedIn
    /// Stopped by its SyncStop, its task or its time limit; the rest stays queued.
    case stopped
    /// Temporary trouble (offline, throttled, the Keychain still locked after a
    /// restart): try again at the next run.
    case tryLater(ServiceError)
    /// The session ended: the app shows the login screen next time it opens.
    case needsLogin
    /// The server no longer accepts this version: the app asks for an update when it
    /// opens; the reports stay queued until then.
    case needsUpdate
    /// Anything else; the reports stay queued.
    case failed(ServiceError)

    /// For `BGTask.setTaskCompleted(success:)`: whether the work is done.
    public var completed: Bool {
        switch self {
        case .sent, .notSignedIn: return true
        default: return false
        }
    }
}

/// The background upload job.
public struct BackgroundSync: Sendable {
    /// The BGTaskScheduler identifier (also in Info.plist's
    /// `BGTaskSchedulerPermittedIdentifiers`).
    public static let taskIdentifier = "jp.mimamori.sync.refresh"
    /// The earliest the system should run the next refresh after this one.
    public static let refreshInterval: TimeInterval = 30 * 60
    /// How long one run may send: a BGAppRefreshTask gets about 30 seconds, and the
    /// system ends the app if the task outlives them, so the sync stops 5 s before.
    public static let taskTimeLimitMs: UInt64 = 25_000

    private let service: any MimamoriService
    private let reminders: ReminderScheduler?

    public init(service: any MimamoriService, reminders: ReminderScheduler? = nil) {
        self.service = service
        self.reminders = reminders
    }

    /// When to ask for the next refresh, seen from `now`.
    public static func nextRun(after now: Date) -> Date {
        now.addingTimeInterval(refreshInterval)
    }

    /// Sends the queue, stopping when `stop` is cancelled (the task's expiration
    /// handler) or after `timeLimitMs` (a background task's time by default); then
    /// reschedules the reminder. Never throws: the outcome says what happened.
    public func run(stop: SyncStop, timeLimitMs: UInt64 = BackgroundSync.taskTimeLimitMs) async -> BackgroundSyncOutcome {
        let outcome = await send(stop: stop, timeLimitMs: timeLimitMs)
        if let reminders, !stop.isCancelled {
            await reminders.reschedule()
        }
        return outcome
    }

    private func send(stop: SyncStop, timeLimitMs: UInt64) async -> BackgroundSyncOutcome {
        do {
            guard try await service.isLoggedIn() else { return .notSignedIn }
            return .sent(try await service.sync(stop: stop, timeLimitMs: timeLimitMs))
        } catch {
            let error = ServiceError.from(error)
            switch error {
            case .cancelled: return .stopped
            case .offline, .throttled, .keystore, .secureConnection: return .tryLater(error)
            case .loginRequired: return .needsLogin
            case .updateRequired: return .needsUpdate
            default: return .failed(error)
            }
        }
    }
}
