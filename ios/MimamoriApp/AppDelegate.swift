// Launch-time duties that must happen before the app finishes launching: registers the
// background refresh (BGTaskScheduler, identifier in Info.plist's
// BGTaskSchedulerPermittedIdentifiers) and asks for the next one; becomes the
// notification centre's delegate so the reminder is rescheduled after it rang; and
// watches the network so waiting reports go as soon as it returns.
import BackgroundTasks
import MimamoriKit
import Network
import UIKit
import UserNotifications

final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    private let monitor = NWPathMonitor()
    private var wasOnline = true

    func application(
        _ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        BackgroundRefresh.register()
        BackgroundRefresh.schedule()
        UNUserNotificationCenter.current().delegate = self
        watchNetwork()
        return true
    }

    func applicationDidEnterBackground(_ application: UIApplication) {
        BackgroundRefresh.schedule()
    }

    // MARK: The reminder rang

    func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        await Self.rescheduleReminder()
        return [.banner, .sound, .list]
    }

    func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse) async {
        await Self.rescheduleReminder()
    }

    private static func rescheduleReminder() async {
        if let reminders = try? await AppServices.shared.reminders() {
            await reminders.reschedule()
        }
    }

    // MARK: The network returned

    private func watchNetwork() {
        monitor.pathUpdateHandler = { [weak self] path in
            guard let self else { return }
            let online = path.status == .satisfied
            let cameBack = online && !self.wasOnline
            self.wasOnline = online
            guard cameBack else { return }
            Task { await AppOutcomes.syncSoon() }
        }
        monitor.start(queue: DispatchQueue(label: "mimamori.network"))
    }
}

/// The BGAppRefreshTask that sends waiting reports in the background.
enum BackgroundRefresh {
    /// Registers the handler; must run before the app finishes launching.
    static func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: BackgroundSync.taskIdentifier, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask else {
                task.setTaskCompleted(success: false)
                return
            }
            handle(refresh)
        }
    }

    /// Asks for the next refresh (the system decides when it runs).
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: BackgroundSync.taskIdentifier)
        request.earliestBeginDate = BackgroundSync.nextRun(after: Date())
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Not allowed now (Background App Refresh off, or the simulator): the app
            // still sends when it opens, after a save and when the network returns.
        }
    }

    /// Runs the job; the system's expiration handler stops it at once, nothing lost.
    private static func handle(_ task: BGAppRefreshTask) {
        schedule()
        let stop = SyncStop()
        task.expirationHandler = {
            stop.cancel()
        }
        Task {
            let outcome: BackgroundSyncOutcome
            do {
                let job = try await AppServices.shared.job()
                outcome = await job.run(stop: stop, timeLimitMs: BackgroundSync.taskTimeLimitMs)
            } catch {
                outcome = .failed(ServiceError.from(error))
            }
            await AppOutcomes.report(outcome)
            task.setTaskCompleted(success: outcome.completed)
        }
    }
}

/// The reminder scheduler's port on UNUserNotificationCenter: one local notification
/// at the core's time with the core's words.
struct UserNotificationCenterPort: NotificationCenterPort {
    func permission() async -> NotificationPermission {
        let settings = await UNUserNotificationCenter.current().notificationSettings()
        switch settings.authorizationStatus {
        case .notDetermined: return .notAsked
        case .denied: return .denied
        default: return .allowed
        }
    }

    func requestPermission() async -> Bool {
        (try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge])) ?? false
    }

    func schedule(id: String, at date: Date, title: String, body: String) async throws {
        let content = UNMutableNotificationContent()
        content.title = title
        content.body = body
        content.sound = .default
        let when = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let trigger = UNCalendarNotificationTrigger(dateMatching: when, repeats: false)
        try await UNUserNotificationCenter.current().add(UNNotificationRequest(identifier: id, content: content, trigger: trigger))
    }

    func removePending(id: String) async {
        UNUserNotificationCenter.current().removePendingNotificationRequests(withIdentifiers: [id])
    }
}
