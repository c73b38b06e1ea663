// Sign in with the e-mail and password of the first registration: the core stores the
// session in the Keychain and the profile (with the centre's emergency number) on the
// phone. Refusals are shown as the server words them; the password is not kept after
// a successful sign-in.
#if canImport(Combine)
import Combine
#endif
import MobileCore

@MainActor
public final class LoginModel: ObservableObject {
    public struct State: Equatable {
        public var email = ""
        public var password = ""
        public var busy = false
        public var error: ServiceError?
        /// Set once signed in.
        public var profile: ProfileView?
    }

    @Published public private(set) var state = State()
    private let service: any MimamoriService
    /// Told of every refusal (the app model shows "update required" on every screen).
    public var onError: (@MainActor (ServiceError) -> Void)?

    public init(service: any MimamoriService) {
        self.service = service
    }

    public func setEmail(_ text: String) { state.email = text; state.error = nil }
    public func setPassword(_ text: String) { state.password = text; state.error = nil }

    /// Signs in; on success `state.profile` is set.
    public func submit() async {
        guard !state.busy else { return }
        state.busy = true
        state.error = nil
        do {
            state.profile = try await service.login(email: state.email, password: state.password)
            state.password = ""
        } catch {
            let error = ServiceError.from(error)
            state.error = error
            onError?(error)
        }
        state.busy = false
    }
}
