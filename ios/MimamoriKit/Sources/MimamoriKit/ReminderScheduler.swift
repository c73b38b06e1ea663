// The daily reminder's scheduling: asks the core when the reminder should next ring
// (`nextReminder`, from an injectable clock and the phone's offset from UTC) and keeps
// exactly ONE pending local notification at that time with the core's wording, or
// none when the core says none (off, or the observation period is over). The platform
// side is a port: the app implements it with UNUserNotificationCenter. Ask again after
// the reminder rang, after each save and after a setting changed. Permission is asked
// only when the person turns the reminder on or finishes registration, never at launch.
import Foundation
import MobileCore

/// Whether the phone lets the app show notifications.
public enum NotificationPermission: Equatable, Sendable {
    /// Never asked yet.
    case notAsked
    /// Refused in the phone's settings.
    case denied
    /// Allowed.
    case allowed
}

/// The phone's notification centre, as the scheduler needs it.
public protocol NotificationCenterPort: Sendable {
    /// The current permission.
    func permission() async -> NotificationPermission
    /// Asks the person (the system's dialog); true when allowed.
    func requestPermission() async -> Bool
    /// Schedules (or replaces) the notification `id` to show at `date`.
    func schedule(id: String, at date: Date, title: String, body: String) async throws
    /// Removes the pending notification `id`, if any.
    func removePending(id: String) async
}

/// Where the scheduler reads the time and the phone's time zone.
public struct ReminderClock: Sendable {
    public var now: @Sendable () -> Date
    public var timeZone: @Sendable () -> TimeZone

    public init(now: @escaping @Sendable () -> Date, timeZone: @escaping @Sendable () -> TimeZone) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The phone's clock and time zone.
    public static let system = ReminderClock(now: { Date() }, timeZone: { TimeZone.current })
}

/// What the scheduler did.
public enum ReminderOutcome: Equatable, Sendable {
    /// One notification is pending at `at`, with the core's words.
    case scheduled(at: Date, title: String, body: String)
    /// None is pending: the reminder is off or the observation period is over.
    case none
    /// The phone does not allow notifications (not asked yet, or refused): none pending.
    case notAllowed(NotificationPermission)
    /// The core could not decide (a storage error); the pending one is left as it was.
    case failed(ServiceError)
}

/// Keeps the one pending daily reminder in step with the core's decision.
public actor ReminderScheduler {
    /// The pending notification's identifier: scheduling again replaces it.
    public static let notificationId = "jp.mimamori.reminder.daily"

    private let service: any MimamoriService
    private let center: any NotificationCenterPort
    private let clock: ReminderClock

    public init(service: any MimamoriService, center: any NotificationCenterPort, clock: ReminderClock = .system) {
        self.service = service
        self.center = center
        self.clock = clock
    }

    /// Asks the core for the next reminder and schedules it (replacing the pending one),
    /// or removes the pending one when there is none to schedule.
    @discardableResult
    public func reschedule() async -> ReminderOutcome {
        let now = clock.now()
        let offsetMinutes = Int32(clock.timeZone().secondsFromGMT(for: now) / 60)
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let plan: ReminderPlan?
        do {
            plan = try await service.nextReminder(nowEpochMs: nowMs, utcOffsetMinutes: offsetMinutes)
        } catch {
            return .failed(ServiceError.from(error))
        }
        guard let plan else {
            await center.removePending(id: Self.notificationId)
            return .none
        }
        let permission = await center.permission()
        guard permission == .allowed else {
            await center.removePending(id: Self.notificationId)
            return .notAllowed(permission)
        }
        let at = Date(timeIntervalSince1970: TimeInterval(plan.atEpochMs) / 1000)
        do {
            try await center.schedule(id: Self.notificationId, at: at, title: plan.title, body: plan.body)
        } catch {
            return .failed(.unexpected(detail: String(describing: type(of: error))))
        }
        return .scheduled(at: at, title: plan.title, body: plan.body)
    }

    /// Asks for permission if it was never asked (the person just chose a reminder or
    /// finished registration), then schedules.
    @discardableResult
    public func askPermissionAndReschedule() async -> ReminderOutcome {
        if await center.permission() == .notAsked {
            _ = await center.requestPermission()
        }
        return await reschedule()
    }
}
