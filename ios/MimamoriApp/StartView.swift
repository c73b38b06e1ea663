// The start screen, usable with no account and no network: "new registration",
// "sign in", the family's urgent check, and the leaflet's emergency contact (typed,
// or from the QR code's link). Large buttons, each labelled for VoiceOver; each one
// is an action of the navigation model (AppModel).
import MimamoriKit
import MobileCore
import SwiftUI

struct StartView: View {
    @ObservedObject var app: AppModel

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 20) {
                    Text("start.title")
                        .font(.largeTitle.bold())
                        .accessibilityAddTraits(.isHeader)
                    Text("start.lead")
                        .font(.body)
                    if let notice = app.state.notice {
                        ServiceErrorText(error: notice)
                    }
                    Button {
                        Task { await app.startRegistration() }
                    } label: {
                        Text("start.register").frame(maxWidth: .infinity)
                    }
                    .buttonStyle(.borderedProminent)
                    .controlSize(.large)
                    Button {
                        app.startLogin()
                    } label: {
                        Text("start.login").frame(maxWidth: .infinity)
                    }
                    .buttonStyle(.bordered)
                    .controlSize(.large)
                    Divider()
                    Text("start.family")
                        .font(.headline)
                        .accessibilityAddTraits(.isHeader)
                    Button {
                        app.showUrgentCheck()
                    } label: {
                        Label("start.urgentCheck", systemImage: "exclamationmark.triangle.fill").frame(maxWidth: .infinity)
                    }
                    .buttonStyle(.borderedProminent)
                    .tint(.red)
                    .controlSize(.large)
                    Button {
                        app.showEmergencyContact()
                    } label: {
                        Label("start.contact", systemImage: "phone.badge.plus").frame(maxWidth: .infinity)
                    }
                    .buttonStyle(.bordered)
                }
                .padding()
            }
        }
    }
}
