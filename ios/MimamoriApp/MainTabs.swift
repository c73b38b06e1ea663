// The signed-in app's five places: home, the daily report, the household, the history
// and the settings. Draws this visit's MainModel: the tab shown, whose report is made
// (chosen on home, in the household or on the form) and each place's model; every tap
// that moves between places is MainModel's action. After a save the app model sends
// the waiting reports and plans the reminder; an ended session goes to the login
// screen and a sign-out to the start screen, both through the models, not here.
import MimamoriKit
import MobileCore
import SwiftUI

struct MainTabs: View {
    @ObservedObject var app: AppModel
    /// Observed, so that a new report form (one per visit) is drawn.
    @ObservedObject var main: MainModel

    var body: some View {
        TabView(selection: Binding(get: { main.tab }, set: { tab in Task { await main.show(tab) } })) {
            NavigationStack {
                VStack(spacing: 0) {
                    ReminderOffer(app: app)
                    HomeView(
                        model: main.today,
                        onReport: { Task { await main.report() } },
                        onUrgentCheck: { app.showUrgentCheck() },
                        onPerson: { id in Task { await main.choose(id) } },
                        onSendNow: { Task { await main.sendNow() } },
                        onRetry: { Task { await main.retryFailed() } },
                        onRefresh: { await main.show(.home) }
                    )
                }
            }
            .tabItem { Label("tab.home", systemImage: "house") }
            .tag(MainModel.Tab.home)

            NavigationStack {
                ReportFormView(
                    model: main.form,
                    onPerson: { id in Task { await main.choose(id) } },
                    onDone: { Task { await main.reportDone() } }
                )
            }
            .tabItem { Label("tab.report", systemImage: "square.and.pencil") }
            .tag(MainModel.Tab.report)

            NavigationStack {
                HouseholdView(
                    model: main.household,
                    onAdd: { Task { await main.addMember() } },
                    onReportFor: { id in Task { await main.report(for: id) } }
                )
            }
            .tabItem { Label("tab.household", systemImage: "person.2") }
            .tag(MainModel.Tab.household)

            NavigationStack {
                HistoryView(model: main.history)
            }
            .tabItem { Label("tab.history", systemImage: "chart.xyaxis.line") }
            .tag(MainModel.Tab.history)

            NavigationStack {
                SettingsView(
                    model: main.settings, contact: app.contact, rights: main.rights,
                    onLanguage: { choice in Task { await main.setLanguage(choice) } },
                    onSignOut: { Task { await main.signOut() } },
                    onConfirmSignOut: { Task { await main.confirmSignOut() } }
                )
            }
            .tabItem { Label("tab.settings", systemImage: "gearshape") }
            .tag(MainModel.Tab.settings)
        }
    }
}

/// Why the daily reminder needs notifications, shown after registration or sign-in
/// before the system's dialog; "allow" then asks, "later" leaves it to Settings.
struct ReminderOffer: View {
    @ObservedObject var app: AppModel

    var body: some View {
        if app.state.offeringReminder {
            VStack(alignment: .leading, spacing: 8) {
                Text("notify.title").font(.headline).accessibilityAddTraits(.isHeader)
                Text("notify.why")
                HStack {
                    Button("notify.allow") { Task { await app.allowReminder() } }
                        .buttonStyle(.borderedProminent)
                    Button("notify.later") { app.reminderLater() }
                }
            }
            .padding()
            .frame(maxWidth: .infinity, alignment: .leading)
            .background(.thinMaterial)
        }
    }
}
