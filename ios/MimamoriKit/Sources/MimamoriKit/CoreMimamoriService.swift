// The real MimamoriService: owns the generated MimamoriCore object (offline, or
// connected to the server through URLSessionTransport), runs every call on its own
// dispatch queue so the main actor never waits for SQLite or the network, passes the
// screen's language, and maps the core's CoreError (and anything unexpected) into
// ServiceError. This file and CoreMimamoriService+Account.swift are the only ones of
// the app that call the generated binding's methods.
import Dispatch
import MobileCore

/// Wraps the phone core for the screen models.
public final class CoreMimamoriService: MimamoriService {
    private let core: MimamoriCore
    private let language: @Sendable () -> Language
    private let queue = DispatchQueue(label: "mimamori.core", qos: .userInitiated, attributes: .concurrent)

    /// Wraps an opened core. `language` is read at each call, so a change of the
    /// phone's language shows on the next load.
    public init(core: MimamoriCore, language: @escaping @Sendable () -> Language = { .ja }) {
        self.core = core
        self.language = language
    }

    /// Opens (or creates) the database at `path` off the main actor. A damaged file
    /// throws `ServiceError.corrupt` and is left as it is.
    public static func open(path: String, language: @escaping @Sendable () -> Language = { .ja }) async throws -> CoreMimamoriService {
        let core = try await onQueue(DispatchQueue.global(qos: .userInitiated)) { try MimamoriCore.open(path: path) }
        return CoreMimamoriService(core: core, language: language)
    }

    /// Opens (or creates) the database at `path` off the main actor, connected to the
    /// server at `serverUrl` (`https://…`; `http://` only to this device) through
    /// `transport`, the phone's own HTTP stack. A refused address throws
    /// `ServiceError.invalid` for `server_url`; a damaged file `ServiceError.corrupt`.
    /// Nothing is sent yet.
    public static func open(
        path: String, serverUrl: String, transport: HttpTransport = URLSessionTransport(),
        language: @escaping @Sendable () -> Language = { .ja }
    ) async throws -> CoreMimamoriService {
        let core = try await onQueue(DispatchQueue.global(qos: .userInitiated)) {
            try MimamoriCore.openWithTransport(path: path, serverUrl: serverUrl, transport: transport)
        }
        return CoreMimamoriService(core: core, language: language)
    }

    public func questions() async -> [QuestionView] {
        await infallible { core, lang in core.questions(lang: lang) }
    }

    public func kinds() async -> [KindView] {
        await infallible { core, lang in core.kinds(lang: lang) }
    }

    public func saveReport(_ input: ReportInput) async throws -> SavedReport {
        try await call { core, lang in try core.saveReport(input: input, lang: lang) }
    }

    public func todayStatus(personId: String) async throws -> TodayStatus {
        try await call { core, lang in try core.todayStatus(personId: personId, lang: lang) }
    }

    public func history(personId: String, days: Int) async throws -> [HistoryDay] {
        let days = UInt32(clamping: max(days, 0))
        return try await call { core, lang in try core.history(personId: personId, days: days, lang: lang) }
    }

    public func emergencyContact() async throws -> EmergencyContact? {
        try await call { core, _ in try core.emergencyContact() }
    }

    public func setEmergencyContact(_ contact: EmergencyContact) async throws {
        try await call { core, lang in try core.setEmergencyContact(contact: contact, lang: lang) }
    }

    public func urgentChecklist() async -> UrgentChecklistView {
        await infallible { core, lang in core.urgentChecklist(lang: lang) }
    }

    public func checkUrgentSymptoms(_ input: ChecklistInput) async throws -> AdviceView {
        try await call { core, lang in try core.checkUrgentSymptoms(input: input, lang: lang) }
    }

    public func openLeafletLink(_ link: String) async throws -> EmergencyContact {
        try await call { core, lang in try core.openLeafletLink(link: link, lang: lang) }
    }

    public func sync(stop: SyncStop, timeLimitMs: UInt64?) async throws -> SyncStatus {
        // One core handle per call, fired by the app's handle or by this task's
        // cancellation (both may fire after the call returned: harmless then).
        let cancel = SyncCancel()
        let detach = stop.onCancel { cancel.cancel() }
        defer { detach() }
        return try await withTaskCancellationHandler {
            try await call { core, lang in try core.syncNowWith(cancel: cancel, timeLimitMs: timeLimitMs, lang: lang) }
        } onCancel: {
            cancel.cancel()
        }
    }

    /// Runs `body` on the core's queue, mapping `CoreError` to `ServiceError`.
    func call<T: Sendable>(_ body: @escaping @Sendable (MimamoriCore, Language) throws -> T) async throws -> T {
        let core = self.core
        let lang = language()
        return try await Self.onQueue(queue) { try body(core, lang) }
    }

    /// Runs a call that cannot fail on the core's queue.
    func infallible<T: Sendable>(_ body: @escaping @Sendable (MimamoriCore, Language) -> T) async -> T {
        let core = self.core
        let lang = language()
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body(core, lang)) }
        }
    }

    private static func onQueue<T: Sendable>(_ queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    // CoreError mapped; anything else (a binding failure) is `unexpected`.
                    continuation.resume(throwing: ServiceError.from(error))
                }
            }
        }
    }
}
