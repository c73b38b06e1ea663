// Sign in with the e-mail and password of the first registration; the server's
// refusal is shown as it words it, and why the app asks for a sign-in (an ended
// session) above the fields. Draws this visit's LoginModel (made by AppModel);
// "sign in" and "back" (to the start screen) are AppModel's actions.
import MimamoriKit
import MobileCore
import SwiftUI

struct LoginView: View {
    @ObservedObject var app: AppModel
    @ObservedObject var model: LoginModel

    var body: some View {
        NavigationStack {
            Form {
                if let notice = app.state.notice {
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
                        Task { await app.signIn() }
                    } label: {
                        Text(model.state.busy ? "login.busy" : "login.submit").frame(maxWidth: .infinity)
                    }
                    .disabled(model.state.busy)
                }
            }
            .navigationTitle(Text("login.title"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("login.back") { app.showStart() }
                }
            }
        }
    }
}
