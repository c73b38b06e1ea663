// The daily report form's model for SwiftUI: loads the question set and the kinds from
// the service, holds whose report it is, the kind, the temperature as typed and the
// nine answers, shows them once more on a confirm step, submits them for the core to
// validate and save (offline first), and then exposes the advice. A refused field
// shows the core's message beside that field; the form keeps everything typed. After a
// save the app's hook sends the queue and reschedules the reminder. Mirrors
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
        /// Whose report this is (the owner `self`, or a household member).
        public var personId = selfPersonId
        /// The owner first, then household members.
        public var people: [PersonView] = []
        /// The confirm step: the answers shown once more before saving.
        public var confirming = false
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
    /// Run after each save (the app sends the queue and reschedules the reminder).
    public var onSaved: (@MainActor () async -> Void)?
    private var preferredKind: PersonKind?

    public init(service: any MimamoriService, personId: String = selfPersonId, preferredKind: PersonKind? = nil) {
        self.service = service
        self.preferredKind = preferredKind
        state.personId = personId
    }

    /// Loads the kinds, questions and people. The kind starts as today's last
    /// report's kind, else the kind chosen at registration, else the person's
    /// registered kind, else the first the core offers.
    public func load() async {
        let kinds = await service.kinds()
        let questions = await service.questions()
        state.people = (try? await service.people()) ?? []
        state.loading = false
        state.kinds = kinds
        state.questions = questions
        if state.answers.count != questions.count {
            state.answers = Array(repeating: nil, count: questions.count)
        }
        await chooseStartingKind()
    }

    private func chooseStartingKind() async {
        guard state.kind == nil else { return }
        let lastKind = (try? await service.todayStatus(personId: state.personId))?.latest?.kind
        let person = state.people.first { $0.personId == state.personId }
        let registered = state.personId == selfPersonId ? preferredKind ?? person?.kind : person?.kind
        state.kind = lastKind ?? registered ?? state.kinds.first?.kind
    }

    /// The confirm step: shows the answers once more. The core checks them on save.
    public func review() {
        guard !state.loading, !state.saving, state.kind != nil else { return }
        state.fieldError = nil
        state.error = nil
        state.confirming = true
    }

    /// Back from the confirm step to the form, everything kept.
    public func edit() {
        state.confirming = false
    }

    /// The label of the answer chosen for question `index`, as the core words it.
    public func answerLabel(_ index: Int) -> String? {
        guard state.questions.indices.contains(index), state.answers.indices.contains(index),
              let choice = state.answers[index] else { return nil }
        return state.questions[index].options.first { $0.choice == choice }?.label
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
            personId: state.personId, localDate: nil, kind: kind,
            temperature: state.temperature, answers: state.answers
        )
        do {
            state.saved = try await service.saveReport(input)
            state.confirming = false
        } catch {
            let error = ServiceError.from(error)
            // A refused field goes back to the form, beside that field.
            if error.field != nil {
                state.fieldError = error
                state.confirming = false
            } else {
                state.error = error
            }
        }
        state.saving = false
        if state.saved != nil, let onSaved {
            await onSaved()
        }
    }

    private func clearFieldError(_ fields: [String]) {
        if let field = state.fieldError?.field, fields.contains(field) {
            state.fieldError = nil
        }
    }
}
