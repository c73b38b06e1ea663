// An in-memory MimamoriService for model tests and SwiftUI previews. It keeps saved
// reports in a list, refuses the same fields the core refuses (with placeholder
// messages), and can be told to fail the next call or to hold saves until released.
// Its wording is placeholder text: real wording only ever comes from the core.
import Foundation
import MobileCore

public actor FakeMimamoriService: MimamoriService {
    /// The core's question ids, in order.
    public static let questionIds = [
        "face", "cough", "breathlessness", "fatigue", "nausea", "diarrhoea", "consciousness", "eating", "urination",
    ]
    /// Face, breathlessness and consciousness point at an urgent group.
    private static let urgentQuestions = [0, 2, 6]
    private static let checklist: [(String, [String])] = [
        ("appearance", ["purple_lips", "not_themselves"]),
        ("breathing", ["chest_pain", "sudden_breathlessness"]),
        ("consciousness", ["drowsy_no_answer"]),
    ]

    /// The stored emergency contact.
    public private(set) var contact: EmergencyContact?
    /// Reports saved so far, oldest first.
    public private(set) var saved: [StoredReport] = []
    /// Every checklist the family sent.
    public private(set) var checked: [ChecklistInput] = []
    private var failNext: ServiceError?
    private var holdingSaves = false
    private var heldSave: CheckedContinuation<Void, Never>?
    private let today: String

    public init(contact: EmergencyContact? = nil, today: String = "2026-11-24") {
        self.contact = contact
        self.today = today
    }

    /// Makes the next call that can fail throw `error` (once).
    public func failNext(with error: ServiceError) {
        failNext = error
    }

    /// Makes saves wait until `releaseSaves()`.
    public func holdSaves() {
        holdingSaves = true
    }

    /// Lets a held save go on.
    public func releaseSaves() {
        holdingSaves = false
        heldSave?.resume()
        heldSave = nil
    }

    public func questions() async -> [QuestionView] {
        Self.questionIds.enumerated().map { i, id in
            QuestionView(id: id, number: UInt8(i + 1), text: "Q\(i + 1) \(id)", options: [
                OptionView(choice: .yes, code: 1, label: "yes"),
                OptionView(choice: .no, code: 2, label: "no"),
                OptionView(choice: .unknown, code: 9, label: "unknown"),
            ])
        }
    }

    public func kinds() async -> [KindView] {
        [
            KindView(kind: .infected, label: "infected"),
            KindView(kind: .closeContact, label: "close contact"),
            KindView(kind: .awaitingResult, label: "awaiting result"),
        ]
    }

    public func saveReport(_ input: ReportInput) async throws -> SavedReport {
        if holdingSaves {
            await withCheckedContinuation { heldSave = $0 }
        }
        try takeFailure()
        guard let degrees = Double(input.temperature.trimmingCharacters(in: .whitespaces)),
              (34.0...42.0).contains(degrees) else {
            throw ServiceError.invalid(field: "temperature", reason: "fake: temperature out of range")
        }
        guard input.answers.count == Self.questionIds.count else {
            throw ServiceError.invalid(field: "answers", reason: "fake: nine answers needed")
        }
        if let missing = input.answers.firstIndex(where: { $0 == nil }) {
            throw ServiceError.invalid(field: "answers.\(Self.questionIds[missing])", reason: "fake: answer needed")
        }
        let answers = input.answers.compactMap { $0 }
        let tenths = UInt16((degrees * 10).rounded())
        let urgency: Urgency
        if Self.urgentQuestions.contains(where: { answers[$0] == .yes }) {
            urgency = .callNow
        } else if tenths >= 375 || answers.contains(.yes) {
            urgency = .watch
        } else {
            urgency = .noAction
        }
        let report = StoredReport(
            reportId: "fake-\(saved.count + 1)", personId: input.personId, localDate: input.localDate ?? today,
            recordedAt: "\(today)T00:00:00.000Z", kind: input.kind, temperatureTenths: tenths,
            answers: answers, urgency: urgency, pendingSync: true
        )
        saved.append(report)
        return SavedReport(reportId: report.reportId, advice: advice(urgency))
    }

    public func todayStatus(personId: String) async throws -> TodayStatus {
        try takeFailure()
        let latest = saved.last { $0.personId == personId && $0.localDate == today }
        return TodayStatus(
            localDate: today, reportedToday: latest != nil, latest: latest,
            advice: latest.map { advice($0.urgency) }, pendingSync: UInt64(saved.filter(\.pendingSync).count)
        )
    }

    public func history(personId: String, days: Int) async throws -> [HistoryDay] {
        try takeFailure()
        let todays = saved.filter { $0.personId == personId && $0.localDate == today }
        return Array([HistoryDay(localDate: today, report: todays.last, reportsThatDay: UInt32(todays.count))].suffix(days))
    }

    public func emergencyContact() async throws -> EmergencyContact? {
        try takeFailure()
        return contact
    }

    public func setEmergencyContact(_ contact: EmergencyContact) async throws {
        try takeFailure()
        guard !contact.centreName.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServiceError.invalid(field: "centre_name", reason: "fake: name needed")
        }
        let digits = contact.phoneNumber.filter(\.isNumber).count
        guard (3...11).contains(digits), contact.phoneNumber.allSatisfy({ $0.isNumber || $0 == "-" }) else {
            throw ServiceError.invalid(field: "phone_number", reason: "fake: not a phone number")
        }
        self.contact = contact
    }

    public func urgentChecklist() async -> UrgentChecklistView {
        UrgentChecklistView(
            groups: Self.checklist.map { group, symptoms in
                UrgentGroupView(id: group, title: "group \(group)", symptoms: symptoms.map {
                    UrgentSymptomView(id: $0, text: "symptom \($0)", judgedByFamily: false)
                })
            },
            footnote: "fake footnote",
            coughLabel: "fake cough",
            feverLabel: "fake fever",
            whenToCall: ["fake: when to call"]
        )
    }

    public func checkUrgentSymptoms(_ input: ChecklistInput) async throws -> AdviceView {
        try takeFailure()
        checked.append(input)
        let known = Self.checklist.flatMap(\.1)
        if input.symptomIds.contains(where: { !known.contains($0) }) {
            throw ServiceError.invalid(field: "symptom_ids", reason: "fake: unknown symptom")
        }
        let coughOrFever = input.cough || input.fever
        let call = !input.symptomIds.isEmpty || (input.kind == .closeContact && coughOrFever) || (input.kind == nil && coughOrFever)
        return advice(call ? .callNow : .noAction)
    }

    /// Marks every saved report sent, unless `stop` was cancelled first.
    public func sync(stop: SyncStop, timeLimitMs: UInt64?) async throws -> SyncStatus {
        try takeFailure()
        if stop.isCancelled || timeLimitMs == 0 {
            throw ServiceError.cancelled(reason: "fake: stopped")
        }
        saved = saved.map { report in
            var sent = report
            sent.pendingSync = false
            return sent
        }
        return SyncStatus(pending: 0, failed: 0, lastSuccessAt: "\(today)T00:00:00.000Z", lastError: nil)
    }

    private func advice(_ urgency: Urgency) -> AdviceView {
        AdviceView(
            urgency: urgency, headline: "fake headline \(urgency)", reasons: [], checkGroups: [],
            showEmergencyNumber: urgency == .callNow, emergency: contact,
            callInstruction: urgency == .callNow ? "fake call instruction" : ""
        )
    }

    private func takeFailure() throws {
        if let error = failNext {
            failNext = nil
            throw error
        }
    }
}
