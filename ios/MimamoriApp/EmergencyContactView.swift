// The emergency contact from the leaflet: the stored centre and number with
// tap-to-call; the leaflet's link typed or pasted (read by the core, which refuses
// another server's); or the centre's name and number typed by hand — and corrected
// later the same way. Opened by the leaflet's deep link too. Needs no account.
import MimamoriKit
import MobileCore
import SwiftUI

struct EmergencyContactView: View {
    @ObservedObject var model: EmergencyContactModel
    @State private var centreName = ""
    @State private var phoneNumber = ""
    @State private var link = ""

    var body: some View {
        let state = model.state
        Form {
            Section {
                EmergencyNumberCard(contact: state.contact)
                if state.fromLink != nil {
                    Text("contact.saved")
                }
                if let error = state.error {
                    ServiceErrorText(error: error)
                }
            }
            Section {
                TextField("contact.centre", text: $centreName)
                FieldMessage(text: state.message("centre_name"))
                TextField("contact.phone", text: $phoneNumber)
                    .keyboardType(.phonePad)
                    .textContentType(.telephoneNumber)
                FieldMessage(text: state.message("phone_number"))
                Button("contact.save") {
                    Task { await model.save(centreName: centreName, phoneNumber: phoneNumber) }
                }
                .disabled(state.saving)
            } header: {
                Text("contact.title").accessibilityAddTraits(.isHeader)
            }
            Section {
                TextField("contact.link", text: $link)
                    .keyboardType(.URL)
                    .textInputAutocapitalization(.never)
                    .autocorrectionDisabled()
                FieldMessage(text: state.message("link"))
                Button("contact.link.read") {
                    Task { await model.openLink(link) }
                }
                .disabled(state.saving)
            } header: {
                Text("contact.link.title").accessibilityAddTraits(.isHeader)
            } footer: {
                Text("contact.link.footer")
            }
        }
        .navigationTitle(Text("contact.screen"))
        .task {
            if model.state.loading { await model.load() }
            if let stored = model.state.contact {
                centreName = stored.centreName
                phoneNumber = stored.phoneNumber
            }
        }
        .onChange(of: model.state.contact) { stored in
            if let stored {
                centreName = stored.centreName
                phoneNumber = stored.phoneNumber
            }
        }
    }
}
