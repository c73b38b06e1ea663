// The daily report form's model for SwiftUI: loads the question set and the kinds from
// the service, holds the kind, the temperature as typed and the nine answers, submits
// them for the core to validate and save, and then exposes the advice. A refused field
// shows the core's message beside that field; the form keeps everything typed. Mirrors
// ReportFormViewModel on Android.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class ReportFormModel: ObservableObject {
    /// Everything the form screen shows.
    public struct State: Equatable {
        public var loading = true
        public var kinds: [KindView] = []
        public var questions: [QuestionView] = []
        public var kind: PersonKind?
        public var temperature = ""
        public var answers: [AnswerChoice?] = []
        public var saving = false
        /// The field the core refused (`ServiceError.invalid`).
        public var fieldError: ServiceError?
        /// A failure that is not about one field (damaged or unwritable storage).
        public var error: ServiceError?
        /// The saved report, once the core has it on disk.
        public var saved: SavedReport?

        /// The advice for the saved report.
        public var advice: AdviceView? { saved?.advice }

        /// The message to show under the temperature field.
        public var temperatureError: String? { message(for: "temperature") }

        /// The message to show under question `questionId`.
        public func answerError(_ questionId: String) -> String? { message(for: "answers.\(questionId)") }

        /// A refused field that has no place of its own on the form (shown at the top).
        public var formError: String? {
            guard let field = fieldError?.field, field != "temperature",
                  !questions.contains(where: { "answers.\($0.id)" == field }) else { return nil }
            return fieldError?.reason
        }

        private func message(for field: String) -> String? {
            fieldError?.field == field ? fieldError?.reason : nil
        }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    private let personId: String

    public init(service: any MimamoriService, personId: String = selfPersonId) {
        self.service = service
        self.personId = personId
    }

    /// Loads the kinds and questions. The kind starts as today's last report's kind,
    /// else the first the core offers.
    public func load() async {
        let kinds = await service.kinds()
        let questions = await service.questions()
        let lastKind = (try? await service.todayStatus(personId: personId))?.latest?.kind
        state.loading = false
        state.kinds = kinds
        state.questions = questions
        state.kind = state.kind ?? lastKind ?? kinds.first?.kind
        if state.answers.count != questions.count {
            state.answers = Array(repeating: nil, count: questions.count)
        }
    }

    /// Chooses the person's kind.
    public func selectKind(_ kind: PersonKind) {
        state.kind = kind
        state.saved = nil
    }

    /// Records the temperature as typed; a message about it goes away.
    public func setTemperature(_ text: String) {
        state.temperature = text
        state.saved = nil
        clearFieldError(["temperature"])
    }

    /// Answers question `index` (0-based, in the core's order).
    public func answer(_ index: Int, _ choice: AnswerChoice) {
        guard state.answers.indices.contains(index) else { return }
        state.answers[index] = choice
        state.saved = nil
        clearFieldError(["answers.\(state.questions[index].id)", "answers"])
    }

    /// Sends the form to the core. On success `state.saved` holds the advice; on a
    /// refusal `state.fieldError` names the field and the form keeps its content.
    /// Ignored while loading or already saving.
    public func submit() async {
        guard !state.loading, !state.saving, let kind = state.kind else { return }
        state.saving = true
        state.fieldError = nil
        state.error = nil
        let input = ReportInput(
            personId: personId, localDate: nil, kind: kind,
            temperature: state.temperature, answers: state.answers
        )
        do {
            state.saved = try await service.saveReport(input)
        } catch let error as ServiceError {
            if error.field != nil { state.fieldError = error } else { state.error = error }
        } catch {
            state.error = .storage(detail: String(describing: type(of: error)))
        }
        state.saving = false
    }

    /// Clears the form for another report (after the advice was read).
    public func startNew() {
        state.temperature = ""
        state.answers = Array(repeating: nil, count: state.questions.count)
        state.saved = nil
        state.fieldError = nil
        state.error = nil
    }

    private func clearFieldError(_ fields: [String]) {
        if let field = state.fieldError?.field, fields.contains(field) {
            state.fieldError = nil
        }
    }
}
