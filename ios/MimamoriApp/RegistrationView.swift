// First registration, the guide's steps one screen each: e-mail → code (resend after
// the server's wait, counted down) → password with the core's rule ticked as it is
// typed → name, date of birth, phone, smartphone input ID → kind. Each refusal is
// shown under its field in the core's or the server's words. Draws this visit's
// RegistrationModel (made and loaded by AppModel) and forwards input; "done" and
// "cancel" are AppModel's actions. It decides nothing itself.
import MimamoriKit
import MobileCore
import SwiftUI

struct RegistrationView: View {
    let app: AppModel
    @ObservedObject var model: RegistrationModel

    var body: some View {
        let state = model.state
        NavigationStack {
            Form {
                Section {
                    Text(stepTitle(state.step)).font(.title2.bold()).accessibilityAddTraits(.isHeader)
                    Text("register.progress \(state.step.rawValue + 1) \(5)").font(.footnote).foregroundStyle(.secondary)
                }
                if let error = state.error {
                    Section { ServiceErrorText(error: error) }
                }
                switch state.step {
                case .email: emailStep(state)
                case .code: codeStep(state)
                case .password: passwordStep(state)
                case .attributes: attributesStep(state)
                case .kind, .done: kindStep(state)
                }
            }
            .disabled(state.busy || state.loading)
            .navigationTitle(Text("register.title"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("register.cancel") {
                        Task { await app.cancelRegistration() }
                    }
                }
            }
        }
    }

    private func stepTitle(_ step: RegistrationModel.Step) -> LocalizedStringKey {
        switch step {
        case .email: return "register.email.title"
        case .code: return "register.code.title"
        case .password: return "register.password.title"
        case .attributes: return "register.attributes.title"
        case .kind, .done: return "register.kind.title"
        }
    }

    @ViewBuilder
    private func emailStep(_ state: RegistrationModel.State) -> some View {
        Section {
            TextField("register.email", text: Binding(get: { model.state.email }, set: { model.setEmail($0) }))
                .textContentType(.emailAddress)
                .keyboardType(.emailAddress)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
            FieldMessage(text: state.message("email"))
            Button("register.email.send") { Task { await model.submitEmail() } }
        }
    }

    @ViewBuilder
    private func codeStep(_ state: RegistrationModel.State) -> some View {
        Section {
            Text("register.code.sent").font(.body)
            if let seconds = state.codeValidSeconds {
                Text("register.code.valid \(Int(seconds / 60))").font(.footnote)
            }
            TextField("register.code", text: Binding(get: { model.state.code }, set: { model.setCode($0) }))
                .textContentType(.oneTimeCode)
                .keyboardType(.numberPad)
            FieldMessage(text: state.message("code"))
            Button("register.code.verify") { Task { await model.submitCode() } }
        }
        Section {
            TimelineView(.periodic(from: .now, by: 1)) { _ in
                let wait = model.resendWaitSeconds()
                Button {
                    Task { await model.resendCode() }
                } label: {
                    if wait > 0 {
                        Text("register.code.resendIn \(wait)")
                    } else {
                        Text("register.code.resend")
                    }
                }
                .disabled(wait > 0)
            }
            Button("register.code.changeEmail") { model.back() }
        }
    }

    @ViewBuilder
    private func passwordStep(_ state: RegistrationModel.State) -> some View {
        Section {
            SecureField("register.password", text: Binding(get: { model.state.password }, set: { text in
                Task { await model.setPassword(text) }
            }))
            .textContentType(.newPassword)
            FieldMessage(text: state.message("password"))
        }
        if let rule = state.rule {
            Section {
                Text(rule.rule).font(.footnote)
                ForEach(rule.parts, id: \.label) { part in
                    Label {
                        Text(part.label)
                    } icon: {
                        Image(systemName: part.met ? "checkmark.circle.fill" : "circle")
                            .foregroundStyle(part.met ? Color.green : Color.secondary)
                    }
                    .accessibilityElement(children: .combine)
                    .accessibilityValue(Text(part.met ? "register.password.met" : "register.password.notMet"))
                }
                Text(rule.kindsNote).font(.footnote)
            }
        }
        Section {
            Button("register.password.set") { Task { await model.submitPassword() } }
        }
    }

    @ViewBuilder
    private func attributesStep(_ state: RegistrationModel.State) -> some View {
        Section {
            TextField("register.name", text: Binding(get: { model.state.name }, set: { model.setName($0) }))
                .textContentType(.name)
            FieldMessage(text: state.message("name"))
            TextField("register.dateOfBirth", text: Binding(get: { model.state.dateOfBirth }, set: { model.setDateOfBirth($0) }))
                .keyboardType(.numbersAndPunctuation)
            FieldMessage(text: state.message("date_of_birth"))
            TextField("register.phone", text: Binding(get: { model.state.phone }, set: { model.setPhone($0) }))
                .textContentType(.telephoneNumber)
                .keyboardType(.phonePad)
            FieldMessage(text: state.message("phone"))
            TextField("register.inputId", text: Binding(get: { model.state.inputId }, set: { model.setInputId($0) }))
                .keyboardType(.numberPad)
            FieldMessage(text: state.message("input_id"))
        } footer: {
            Text("register.attributes.footer")
        }
        Section {
            Button("register.attributes.send") { Task { await model.submitAttributes() } }
        }
    }

    @ViewBuilder
    private func kindStep(_ state: RegistrationModel.State) -> some View {
        Section {
            Picker("register.kind", selection: Binding(get: { model.state.kind }, set: { kind in
                if let kind { model.selectKind(kind) }
            })) {
                ForEach(state.kinds, id: \.kind) { kind in
                    Text(kind.label).tag(Optional(kind.kind))
                }
            }
            .pickerStyle(.inline)
            .labelsHidden()
            Button("register.kind.done") { Task { await app.finishRegistration() } }
                .disabled(state.kind == nil)
        }
    }
}

/// A refusal under a field, in red; nothing when there is none.
struct FieldMessage: View {
    let text: String?

    var body: some View {
        if let text {
            Text(text).font(.footnote).foregroundStyle(.red)
        }
    }
}
