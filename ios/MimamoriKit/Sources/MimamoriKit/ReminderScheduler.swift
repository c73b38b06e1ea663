// The daily reminder's scheduling: asks the core when the reminder should next ring
// (`nextReminder`, from an injectable clock and the phone's offset from UTC), then the
// day after that, and so on, and keeps one pending local notification for each of
// those days (up to `maxDays`) with the core's wording, or none when the core says
// none (off, or the observation period is over). So the reminders keep coming though
// the person never opens the app; a report today moves the first to tomorrow. The
// platform side is a port: the app implements it with UNUserNotificationCenter. Ask
// again after the reminder rang, after each save and after a setting (time, language)
// or the period changed. Permission is asked only after the reason was shown: when the
// person turns the reminder on, finishes registration or signs in, never at launch.
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
    /// Notifications are pending, the next at `at`, with the core's words.
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
    /// The next reminder's identifier: scheduling again replaces it.
    public static let notificationId = "jp.mimamori.reminder.daily"
    /// How many days ahead reminders are pending (iOS keeps at most 64 for an app).
    public static let maxDays = 14

    /// The identifier of the reminder `day` days after the next one.
    public static func notificationId(day: Int) -> String {
        day == 0 ? notificationId : "\(notificationId).\(day)"
    }

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
        var plans: [ReminderPlan] = []
        var from = Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down))
        do {
            // Each day's reminder as the core decides it, the next seen from just after
            // the one before (the offset of that day, should the zone change it).
            while plans.count < Self.maxDays {
                let at = Date(timeIntervalSince1970: TimeInterval(from) / 1000)
                let offsetMinutes = Int32(clock.timeZone().secondsFromGMT(for: at) / 60)
                guard let plan = try await service.nextReminder(nowEpochMs: from, utcOffsetMinutes: offsetMinutes) else { break }
                plans.append(plan)
                from = plan.atEpochMs + 60_000
            }
        } catch {
            return .failed(ServiceError.from(error))
        }
        guard let first = plans.first else {
            await removePending(from: 0)
            return .none
        }
        let permission = await center.permission()
        guard permission == .allowed else {
            await removePending(from: 0)
            return .notAllowed(permission)
        }
        do {
            for (day, plan) in plans.enumerated() {
                let at = Date(timeIntervalSince1970: TimeInterval(plan.atEpochMs) / 1000)
                try await center.schedule(id: Self.notificationId(day: day), at: at, title: plan.title, body: plan.body)
            }
        } catch {
            return .failed(.unexpected(detail: String(describing: type(of: error))))
        }
        await removePending(from: plans.count)
        return .scheduled(at: Date(timeIntervalSince1970: TimeInterval(first.atEpochMs) / 1000), title: first.title, body: first.body)
    }

    /// Removes the pending reminders of days `from` and later.
    private func removePending(from: Int) async {
        for day in from..<Self.maxDays {
            await center.removePending(id: Self.notificationId(day: day))
        }
    }

    /// Whether the phone lets the app show notifications now.
    public func permission() async -> NotificationPermission {
        await center.permission()
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
