// The settings: the screens' language, the daily reminder's time (or off), the
// emergency contact (correctable), the data-handling notice from the leaflet with the
// person's data requests (開示・訂正・利用停止) beside it, and signing out — with a
// warning first when reports still wait to be sent. The language and signing out are
// the signed-in app's actions (after signing out the app model shows the start screen).
import MimamoriKit
import MobileCore
import SwiftUI

struct SettingsView: View {
    @ObservedObject var model: SettingsModel
    @ObservedObject var contact: EmergencyContactModel
    @ObservedObject var rights: DataRequestsModel
    let onLanguage: (LanguageChoice) -> Void
    let onSignOut: () -> Void
    let onConfirmSignOut: () -> Void
    @State private var reminderOn = true
    @State private var reminderAt = Date()

    var body: some View {
        let state = model.state
        Form {
            if let error = state.error {
                Section { ServiceErrorText(error: error) }
            }
            Section("settings.language") {
                Picker("settings.language", selection: Binding(get: { model.state.language }, set: { onLanguage($0) })) {
                    Text("settings.language.system").tag(LanguageChoice.system)
                    Text(verbatim: "日本語").tag(LanguageChoice.ja)
                    Text(verbatim: "English").tag(LanguageChoice.en)
                }
            }
            Section {
                Toggle("settings.reminder", isOn: $reminderOn)
                if reminderOn {
                    DatePicker("settings.reminder.time", selection: $reminderAt, displayedComponents: .hourAndMinute)
                }
                if case .notAllowed? = state.reminderOutcome {
                    Text("settings.reminder.notAllowed").font(.footnote)
                }
            } header: {
                Text("settings.reminder.title").accessibilityAddTraits(.isHeader)
            }
            Section("settings.contact") {
                NavigationLink {
                    EmergencyContactView(model: contact)
                } label: {
                    if let stored = contact.state.contact {
                        Text(verbatim: "\(stored.centreName) \(stored.phoneNumber)")
                    } else {
                        Text("emergency.none")
                    }
                }
            }
            Section {
                if let notice = state.notice {
                    NavigationLink {
                        NoticeScreen(notice: notice)
                    } label: {
                        Text(notice.title)
                    }
                }
                NavigationLink {
                    DataRequestsView(model: rights)
                } label: {
                    Text("settings.rights")
                }
            }
            Section {
                Button("settings.signOut", role: .destructive, action: onSignOut)
            }
        }
        .navigationTitle(Text("settings.title"))
        .task {
            await model.load()
            await contact.load()
            syncReminderControls()
        }
        .onChange(of: reminderOn) { _ in saveReminder() }
        .onChange(of: reminderAt) { _ in saveReminder() }
        .alert(Text("settings.signOut.warningTitle"), isPresented: warningShown) {
            Button("settings.signOut.confirm", role: .destructive, action: onConfirmSignOut)
            Button("settings.signOut.keep", role: .cancel) { model.cancelSignOut() }
        } message: {
            Text("settings.signOut.warning \(Int(clamping: model.state.signOutWarning ?? 0))")
        }
    }

    private var warningShown: Binding<Bool> {
        Binding(get: { model.state.signOutWarning != nil }, set: { shown in if !shown { model.cancelSignOut() } })
    }

    /// The controls show what the core keeps.
    private func syncReminderControls() {
        reminderOn = model.state.reminder != nil
        if let time = model.state.reminder,
           let date = Calendar.current.date(bySettingHour: Int(time.hour), minute: Int(time.minute), second: 0, of: Date()) {
            reminderAt = date
        }
    }

    private func saveReminder() {
        guard !model.state.loading else { return }
        let parts = Calendar.current.dateComponents([.hour, .minute], from: reminderAt)
        let time = reminderOn ? ReminderTime(hour: UInt8(parts.hour ?? 9), minute: UInt8(parts.minute ?? 0)) : nil
        guard time != model.state.reminder else { return }
        Task { await model.setReminder(time) }
    }
}

/// The data-handling notice, as printed on the leaflet.
struct NoticeScreen: View {
    let notice: NoticeView

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(notice.title).font(.title2.bold()).accessibilityAddTraits(.isHeader)
                ForEach(notice.paragraphs, id: \.self) { paragraph in
                    Text(paragraph)
                }
            }
            .padding()
        }
    }
}
