// Sign in with the e-mail and password of the first registration; the server's
// refusal is shown as it words it. Back goes to the start screen.
import MimamoriKit
import MobileCore
import SwiftUI

struct LoginView: View {
    let environment: AppEnvironment
    @StateObject private var model: LoginModel

    init(environment: AppEnvironment) {
        self.environment = environment
        _model = StateObject(wrappedValue: LoginModel(service: environment.service))
    }

    var body: some View {
        NavigationStack {
            Form {
                if let notice = environment.app.state.notice {
                    Section { ServiceErrorText(error: notice) }
                }
                Section {
                    TextField("login.email", text: Binding(get: { model.state.email }, set: { model.setEmail($0) }))
                        .textContentType(.username)
                        .keyboardType(.emailAddress)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                    SecureField("login.password", text: Binding(get: { model.state.password }, set: { model.setPassword($0) }))
                        .textContentType(.password)
                    if let error = model.state.error {
                        ServiceErrorText(error: error)
                    }
                    Button {
                        Task { await model.submit() }
                    } label: {
                        Text(model.state.busy ? "login.busy" : "login.submit").frame(maxWidth: .infinity)
                    }
                    .disabled(model.state.busy)
                }
            }
            .navigationTitle(Text("login.title"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("login.back") { environment.app.showStart() }
                }
            }
        }
        .onChange(of: model.state.profile) { profile in
            guard profile != nil else { return }
            environment.app.loggedIn()
            Task { await environment.app.offerReminder() }
            Task { await environment.syncSoon() }
        }
    }
}
