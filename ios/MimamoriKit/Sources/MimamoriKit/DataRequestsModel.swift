// The person's requests about their data (開示・訂正・利用停止): the form (the kind;
// for a correction the item and what it should be, for a temperature one of the
// reports the health centre holds, picked from those sent from this phone; an
// optional note), a confirm step, sending through the core (a refused field shows its
// message beside that field), one's requests with their status and the centre's
// answer or reason, and the disclosure of what the centre holds. Nothing is kept on
// the phone: each load asks the server again.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class DataRequestsModel: ObservableObject {
    public struct State: Equatable {
        public var loading = true
        public var kind: DataRequestKind = .disclosure
        /// A correction's item.
        public var item: CorrectionField?
        /// For a temperature: the chosen report's id.
        public var reportId: String?
        /// What the item should be.
        public var value = ""
        public var note = ""
        /// The reports the centre holds from this phone, newest first.
        public var reports: [StoredReport] = []
        /// The confirm step is shown.
        public var confirming = false
        public var sending = false
        /// The request sent last, as the centre received it.
        public var filed: DataRequestView?
        /// One's requests, newest first.
        public var requests: [DataRequestView] = []
        public var disclosure: DisclosureView?
        public var loadingDisclosure = false
        /// A refused field (`item`, `value`, `report_id`, `note`, `kind`).
        public var fieldError: ServiceError?
        public var error: ServiceError?

        /// The core's message to show beside `field`.
        public func message(_ field: String) -> String? {
            fieldError?.field == field ? fieldError?.reason : nil
        }

        /// Whether the item, report and value inputs show (a correction only).
        public var correcting: Bool { kind == .correction }

        /// Whether a report must be picked (a temperature correction).
        public var pickingReport: Bool { correcting && item == .temperature }

        /// The request the form would send.
        public var input: DataRequestInput {
            let value = self.value.trimmingCharacters(in: .whitespacesAndNewlines)
            let note = self.note.trimmingCharacters(in: .whitespacesAndNewlines)
            return DataRequestInput(
                kind: kind,
                field: correcting ? item : nil,
                reportId: pickingReport ? reportId : nil,
                value: correcting && !value.isEmpty ? value : nil,
                note: note.isEmpty ? nil : note)
        }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    private let reportDays: Int

    /// `reportDays`: how many days of this phone's reports are offered for a temperature.
    public init(service: any MimamoriService, reportDays: Int = 30) {
        self.service = service
        self.reportDays = reportDays
    }

    /// Reads one's requests from the server and the reports sent from this phone.
    public func load() async {
        do {
            state.requests = try await service.dataRequests()
        } catch {
            state.error = ServiceError.from(error)
        }
        if let days = try? await service.history(personId: selfPersonId, days: reportDays) {
            state.reports = days.compactMap(\.report).filter { !$0.pendingSync && !$0.syncFailed }.reversed()
        }
        state.loading = false
    }

    public func setKind(_ kind: DataRequestKind) { edit { $0.kind = kind; $0.fieldError = nil } }

    public func setItem(_ item: CorrectionField?) {
        edit {
            $0.item = item
            if item != .temperature { $0.reportId = nil }
            $0.fieldError = nil
        }
    }

    public func pickReport(_ reportId: String) { edit { $0.reportId = reportId; $0.clear("report_id") } }
    public func setValue(_ text: String) { edit { $0.value = text; $0.clear("value") } }
    public func setNote(_ text: String) { edit { $0.note = text; $0.clear("note") } }

    /// Shows the confirm step.
    public func confirm() {
        state.confirming = true
        state.filed = nil
        state.error = nil
    }

    /// Back from the confirm step to the form, as typed.
    public func back() { state.confirming = false }

    /// Sends the confirmed request; on success the form is cleared and the list read again.
    public func send() async {
        guard !state.sending else { return }
        state.sending = true
        state.fieldError = nil
        state.error = nil
        state.filed = nil
        do {
            let filed = try await service.fileDataRequest(state.input)
            var fresh = State()
            fresh.loading = state.loading
            fresh.reports = state.reports
            fresh.requests = state.requests
            fresh.disclosure = state.disclosure
            fresh.filed = filed
            state = fresh
            await load()
        } catch {
            let error = ServiceError.from(error)
            if error.field != nil { state.fieldError = error } else { state.error = error }
            state.sending = false
            state.confirming = false
        }
    }

    /// Asks the centre for everything it holds (recorded there as a disclosure given).
    public func loadDisclosure() async {
        state.loadingDisclosure = true
        state.error = nil
        do {
            let disclosure = try await service.dataDisclosure()
            state.disclosure = disclosure
            state.requests = disclosure.requests
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loadingDisclosure = false
    }

    private func edit(_ change: (inout State) -> Void) {
        change(&state)
        state.confirming = false
        state.filed = nil
    }
}

extension DataRequestsModel.State {
    fileprivate mutating func clear(_ field: String) {
        if fieldError?.field == field { fieldError = nil }
    }
}
