// The family's urgent-symptom check for SwiftUI: loads the leaflet's checklist, the
// kinds and the stored emergency contact, holds what was ticked (and, for a close
// contact, cough and fever), asks the core for the advice, and lets the family store
// the health centre's number from the leaflet. Needs no login and works offline.
// Mirrors UrgentCheckViewModel.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class UrgentCheckModel: ObservableObject {
    /// Everything the check screen shows.
    public struct State: Equatable {
        public var loading = true
        public var checklist: UrgentChecklistView?
        /// The kinds to choose from, worded by the core.
        public var kinds: [KindView] = []
        /// The patient's kind when the family knows it; `nil` applies the strictest rule.
        public var kind: PersonKind?
        public var ticked: Set<String> = []
        public var cough = false
        public var fever = false
        public var checking = false
        /// The advice for what is ticked now; cleared when a tick changes.
        public var advice: AdviceView?
        public var emergency: EmergencyContact?
        /// A refused contact field (`centre_name`, `phone_number`) with its message.
        public var contactError: ServiceError?
        public var error: ServiceError?
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService

    public init(service: any MimamoriService) {
        self.service = service
    }

    /// Loads the checklist, the kinds and the stored emergency contact.
    public func load() async {
        let checklist = await service.urgentChecklist()
        let kinds = await service.kinds()
        state.checklist = checklist
        state.kinds = kinds
        do {
            state.emergency = try await service.emergencyContact()
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loading = false
    }

    /// Ticks or unticks the symptom `symptomId`.
    public func toggle(_ symptomId: String) {
        if state.ticked.contains(symptomId) {
            state.ticked.remove(symptomId)
        } else {
            state.ticked.insert(symptomId)
        }
        state.advice = nil
    }

    /// Sets the patient's kind, or `nil` when unknown.
    public func setKind(_ kind: PersonKind?) {
        state.kind = kind
        state.advice = nil
    }

    /// Whether the patient coughs.
    public func setCough(_ cough: Bool) {
        state.cough = cough
        state.advice = nil
    }

    /// Whether the patient has a fever (37.5 °C or more).
    public func setFever(_ fever: Bool) {
        state.fever = fever
        state.advice = nil
    }

    /// Asks the core what to do about what is ticked.
    public func evaluate() async {
        guard !state.loading, !state.checking else { return }
        state.checking = true
        state.error = nil
        let ids = (state.checklist?.groups ?? []).flatMap { $0.symptoms.map(\.id) }.filter { state.ticked.contains($0) }
        let input = ChecklistInput(kind: state.kind, symptomIds: ids, cough: state.cough, fever: state.fever)
        do {
            let advice = try await service.checkUrgentSymptoms(input)
            state.advice = advice
            state.emergency = advice.emergency ?? state.emergency
        } catch {
            state.error = ServiceError.from(error)
        }
        state.checking = false
    }

    /// Stores the health centre's name and number as printed on the leaflet.
    public func saveContact(centreName: String, phoneNumber: String) async {
        state.contactError = nil
        let contact = EmergencyContact(centreName: centreName, phoneNumber: phoneNumber)
        do {
            try await service.setEmergencyContact(contact)
            // The core may normalise the number: show what it stored.
            state.emergency = (try? await service.emergencyContact()) ?? contact
        } catch {
            let error = ServiceError.from(error)
            if error.field != nil { state.contactError = error } else { state.error = error }
        }
    }
}
