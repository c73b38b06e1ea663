// For tests only (never linked into the app): the phone's notification centre as the
// reminder scheduler sees it, recording what is pending instead of showing it. The
// permission is set by the test (what the person answered in the system's dialog).
import Foundation
import MimamoriKit

public actor RecordingNotificationCenter: NotificationCenterPort {
    /// A pending notification.
    public struct Pending: Equatable, Sendable {
        public var id: String
        public var date: Date
        public var title: String
        public var body: String
    }

    /// What is pending now, by id.
    public private(set) var pending: [String: Pending] = [:]
    /// How many times the permission dialog was shown.
    public private(set) var asked = 0
    private var current: NotificationPermission
    private let answer: Bool

    /// `permission` now; `answer` is what the person says when asked.
    public init(permission: NotificationPermission = .allowed, answer: Bool = true) {
        current = permission
        self.answer = answer
    }

    public func permission() async -> NotificationPermission { current }

    public func requestPermission() async -> Bool {
        asked += 1
        current = answer ? .allowed : .denied
        return answer
    }

    public func schedule(id: String, at date: Date, title: String, body: String) async throws {
        pending[id] = Pending(id: id, date: date, title: title, body: body)
    }

    public func removePending(id: String) async {
        pending[id] = nil
    }
}
