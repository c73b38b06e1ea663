// First registration as the guide describes it, one screen per step: e-mail → the
// mailed code (resend once the server's wait is over) → password with the rule ticked
// as it is typed → name, date of birth, phone, smartphone input ID → kind. Resumes on
// the step the core kept across a restart. Every check is the core's or the server's;
// this model only places each refusal beside its field and keeps what was typed.
// Passwords and codes are never kept beyond the screen.
#if canImport(Combine)
import Combine
#endif
import Foundation
import MobileCore

@MainActor
public final class RegistrationModel: ObservableObject {
    /// The screens of registration, in order.
    public enum Step: Int, Equatable, CaseIterable, Sendable {
        case email, code, password, attributes, kind, done
    }

    /// Everything the registration screens show.
    public struct State: Equatable {
        public var loading = true
        public var step = Step.email
        public var email = ""
        public var code = ""
        public var password = ""
        /// The rule beside the password field, ticked for what is typed.
        public var rule: PasswordRuleView?
        public var name = ""
        public var dateOfBirth = ""
        public var phone = ""
        public var inputId = ""
        public var kinds: [KindView] = []
        public var kind: PersonKind?
        public var busy = false
        /// How long the mailed code is valid, in seconds (from the server).
        public var codeValidSeconds: UInt64?
        /// When a resend is allowed again (the server's wait), if it asked for one.
        public var resendAllowedAt: Date?
        /// A refusal that belongs beside one field: `email`, `code`, `password`,
        /// `name`, `date_of_birth`, `phone`, `input_id`.
        public var fieldError: ServiceError?
        /// A refusal for the whole step (attributes that do not match, offline, …).
        public var error: ServiceError?
        /// The profile the server returned when the attributes matched.
        public var profile: ProfileView?

        /// The message under `field`.
        public func message(_ field: String) -> String? {
            guard let error = fieldError, RegistrationModel.field(of: error) == field else { return nil }
            return RegistrationModel.text(of: error)
        }
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    private let clock: @Sendable () -> Date

    public init(service: any MimamoriService, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.service = service
        self.clock = clock
    }

    /// The fields each step shows, and so can show a refusal beside.
    public nonisolated static func fields(of step: Step) -> Set<String> {
        switch step {
        case .email: return ["email"]
        case .code: return ["code"]
        case .password: return ["password"]
        case .attributes: return ["name", "date_of_birth", "phone", "input_id"]
        case .kind, .done: return []
        }
    }

    /// Which field a refusal belongs to: the core names it (the server's refusals of
    /// an address, a code or a password come back as `invalid` on that field).
    /// `nil`: the whole step.
    public nonisolated static func field(of error: ServiceError) -> String? {
        if case let .invalid(field, _) = error { return field }
        return nil
    }

    nonisolated static func text(of error: ServiceError) -> String? {
        switch error {
        case let .invalid(_, reason), let .server(_, reason): return reason
        default: return nil
        }
    }

    /// Seconds to wait before "resend" works again, seen from now (0: it works).
    /// Told of every refusal (the app model shows "update required" on every screen).
    public var onError: (@MainActor (ServiceError) -> Void)?

    public func resendWaitSeconds() -> Int {
        guard let at = state.resendAllowedAt else { return 0 }
        return max(0, Int(at.timeIntervalSince(clock()).rounded(.up)))
    }

    /// Resumes on the step the core kept, loads the kinds and the empty rule.
    public func load() async {
        state.kinds = await service.kinds()
        state.rule = await service.passwordRule("")
        do {
            let progress = try await service.registrationProgress()
            // "Send again" after a restart: the address the core kept, not retyped.
            if state.email.isEmpty, let email = progress?.email { state.email = email }
            switch progress?.step {
            case .enterCode?: state.step = .code
            case .setPassword?: state.step = .password
            case .enterAttributes?: state.step = .attributes
            case nil: state.step = .email
            }
        } catch {
            state.error = ServiceError.from(error)
        }
        state.loading = false
    }

    // MARK: What is typed

    public func setEmail(_ text: String) { state.email = text; clear("email") }
    public func setCode(_ text: String) { state.code = text; clear("code") }
    public func setName(_ text: String) { state.name = text; clear("name") }
    public func setDateOfBirth(_ text: String) { state.dateOfBirth = text; clear("date_of_birth") }
    public func setPhone(_ text: String) { state.phone = text; clear("phone") }
    public func setInputId(_ text: String) { state.inputId = text; clear("input_id") }
    public func selectKind(_ kind: PersonKind) { state.kind = kind }

    /// Records the password as typed and ticks the rule's parts for it.
    public func setPassword(_ text: String) async {
        state.password = text
        clear("password")
        let rule = await service.passwordRule(text)
        // A slower answer for an older text must not overwrite a newer one.
        if state.password == text { state.rule = rule }
    }

    // MARK: Steps

    /// Step 2: "send verification code".
    public func submitEmail() async {
        await run { model in
            model.state.codeValidSeconds = try await model.service.requestCode(email: model.state.email)
            model.state.resendAllowedAt = nil
            model.state.code = ""
            model.state.step = .code
        }
    }

    /// "Resend the code": allowed once the server's wait is over; a resend the server
    /// finds too early shows its wait and disables the button until then.
    public func resendCode() async {
        guard resendWaitSeconds() == 0 else { return }
        await run { model in
            model.state.codeValidSeconds = try await model.service.requestCode(email: model.state.email)
            model.state.resendAllowedAt = nil
        }
    }

    /// Step 4: "verify".
    public func submitCode() async {
        await run { model in
            try await model.service.verifyCode(model.state.code)
            model.state.code = ""
            model.state.step = .password
        }
    }

    /// Step 5: sets the password (the server checks it again).
    public func submitPassword() async {
        await run { model in
            try await model.service.setPassword(model.state.password)
            model.state.password = ""
            model.state.step = .attributes
        }
    }

    /// Step 6: name, date of birth, phone and input ID; on a match the session opens
    /// and the kind the centre registered is preselected.
    public func submitAttributes() async {
        await run { model in
            let s = model.state
            let profile = try await model.service.submitAttributes(
                name: s.name, dateOfBirth: s.dateOfBirth, phone: s.phone, inputId: s.inputId)
            model.state.profile = profile
            model.state.kind = profile.kind
            model.state.step = .kind
        }
    }

    /// Step 7: the kind is chosen; registration is done.
    public func finish() {
        guard state.step == .kind, state.kind != nil else { return }
        state.step = .done
    }

    /// Back one screen where that is possible without the server (the code screen
    /// back to the e-mail to correct it).
    public func back() {
        if state.step == .code {
            state.step = .email
            state.fieldError = nil
            state.error = nil
        }
    }

    /// Abandons the registration in progress; back to the e-mail step.
    public func cancel() async {
        do {
            try await service.cancelRegistration()
            var fresh = State()
            fresh.loading = false
            fresh.kinds = state.kinds
            fresh.rule = await service.passwordRule("")
            state = fresh
        } catch {
            state.error = ServiceError.from(error)
        }
    }

    private func run(_ body: (RegistrationModel) async throws -> Void) async {
        guard !state.busy else { return }
        state.busy = true
        state.fieldError = nil
        state.error = nil
        do {
            try await body(self)
        } catch {
            let error = ServiceError.from(error)
            onError?(error)
            if case let .throttled(seconds, _) = error {
                state.resendAllowedAt = clock().addingTimeInterval(TimeInterval(seconds))
            }
            let field = Self.field(of: error)
            if field == "registration" {
                // The registration expired (or was never started here): the core's
                // message on the step, and back to the address to ask for a new code.
                state.step = .email
                state.error = error
            } else if let field, Self.fields(of: state.step).contains(field) {
                state.fieldError = error
            } else {
                // No field of this step to show it beside: shown for the whole step.
                state.error = error
            }
        }
        state.busy = false
    }

    private func clear(_ field: String) {
        if let error = state.fieldError, Self.field(of: error) == field {
            state.fieldError = nil
        }
    }
}
