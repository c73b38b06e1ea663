// The household (代理入力): the people this phone reports for — the owner first, then
// members — each with their upload queue; adding a member by their attributes and
// smartphone input ID (the server matches them as at registration), removing one
// (their reports are kept), and choosing whose report is made next. Refusals are
// the core's or the server's, placed beside their field; the form keeps its input.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class HouseholdModel: ObservableObject {
    /// One person as the household screen lists them.
    public struct Person: Equatable, Sendable {
        public var view: PersonView
        /// Reports waiting and refused for this person.
        public var queue: PersonSyncStatus?
    }

    public struct State: Equatable {
        public var loading = true
        public var people: [Person] = []
        /// Whose report is made next.
        public var selected = selfPersonId
        public var name = ""
        public var dateOfBirth = ""
        public var phone = ""
        public var inputId = ""
        public var adding = false
        /// The member just added (for "added" feedback).
        public var added: PersonView?
        /// A refusal beside a field (`name`, `date_of_birth`, `phone`, `input_id`).
        public var fieldError: ServiceError?
        /// A refusal of the whole form (attributes that do not match, offline, …).
        public var error: ServiceError?

        public func message(_ field: String) -> String? {
            guard let error = fieldError, RegistrationModel.field(of: error) == field else { return nil }
            return RegistrationModel.text(of: error)
        }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService

    public init(service: any MimamoriService) {
        self.service = service
    }

    /// Reads the people and each one's queue.
    public func load() async {
        do {
            var people: [Person] = []
            for view in try await service.people() {
                people.append(Person(view: view, queue: try? await service.personSyncStatus(personId: view.personId)))
            }
            state.people = people
            if !people.contains(where: { $0.view.personId == state.selected }) {
                state.selected = selfPersonId
            }
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loading = false
    }

    /// Chooses whose report is made next.
    public func select(_ personId: String) {
        state.selected = personId
    }

    public func setName(_ text: String) { state.name = text; clear("name") }
    public func setDateOfBirth(_ text: String) { state.dateOfBirth = text; clear("date_of_birth") }
    public func setPhone(_ text: String) { state.phone = text; clear("phone") }
    public func setInputId(_ text: String) { state.inputId = text; clear("input_id") }

    /// Adds the member typed in the form; on success the form is cleared and the new
    /// member is chosen for the next report.
    public func add() async {
        guard !state.adding else { return }
        state.adding = true
        state.fieldError = nil
        state.error = nil
        state.added = nil
        do {
            let person = try await service.addHouseholdMember(
                name: state.name, dateOfBirth: state.dateOfBirth, phone: state.phone, inputId: state.inputId)
            state.added = person
            state.name = ""
            state.dateOfBirth = ""
            state.phone = ""
            state.inputId = ""
            state.selected = person.personId
        } catch {
            let error = ServiceError.from(error)
            if RegistrationModel.field(of: error) != nil { state.fieldError = error } else { state.error = error }
        }
        state.adding = false
        await load()
    }

    /// Unlinks a member; their reports stay on the phone and at the health centre.
    public func remove(_ personId: String) async {
        state.error = nil
        do {
            try await service.removeHouseholdMember(personId: personId)
        } catch {
            state.error = ServiceError.from(error)
        }
        await load()
    }

    private func clear(_ field: String) {
        if let error = state.fieldError, RegistrationModel.field(of: error) == field {
            state.fieldError = nil
        }
    }
}
