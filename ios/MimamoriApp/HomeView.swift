// Home: whose day it is, reported today or not, the latest advice as the core words
// it, a large button that dials the emergency number, and the upload queue — waiting,
// last sent, reports the server refused with its reasons, "send now" and "retry".
// Draws TodayModel's state (the heading, the report button and the queue lines in the
// words it decides) and forwards taps to the signed-in app's actions.
import MimamoriKit
import MobileCore
import SwiftUI

struct HomeView: View {
    @ObservedObject var model: TodayModel
    let onReport: () -> Void
    let onUrgentCheck: () -> Void
    let onPerson: (String) -> Void
    let onSendNow: () -> Void
    let onRetry: () -> Void
    let onRefresh: () async -> Void

    var body: some View {
        let state = model.state
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                if state.loading {
                    ProgressView()
                }
                if state.people.count > 1 {
                    Picker("home.person", selection: Binding(get: { model.state.personId }, set: { onPerson($0) })) {
                        ForEach(state.people, id: \.personId) { person in
                            Text(person.name).tag(person.personId)
                        }
                    }
                    .pickerStyle(.menu)
                }
                if let date = state.localDate {
                    Text(date).foregroundStyle(.secondary)
                }
                if let error = state.error {
                    ServiceErrorText(error: error)
                }
                ScreenTextView(state.headline)
                    .font(.title3.bold())
                    .accessibilityAddTraits(.isHeader)
                if let advice = state.advice {
                    AdviceSection(advice: advice)
                }
                if !state.showEmergencyNumber {
                    EmergencyNumberCard(contact: state.emergency, call: state.call)
                }
                Button(action: onReport) {
                    ScreenTextView(state.reportButton).frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                Button(action: onUrgentCheck) {
                    Text("today.urgentCheck").frame(maxWidth: .infinity)
                }
                .buttonStyle(.bordered)
                SyncStatusSection(model: model, onSendNow: onSendNow, onRetry: onRetry)
            }
            .padding()
        }
        .navigationTitle(Text("today.title"))
        .refreshable { await onRefresh() }
    }
}

/// The upload queue: waiting, last sent, refused reports with reasons, send and retry.
struct SyncStatusSection: View {
    @ObservedObject var model: TodayModel
    let onSendNow: () -> Void
    let onRetry: () -> Void

    var body: some View {
        let state = model.state
        VStack(alignment: .leading, spacing: 8) {
            Text("sync.title").font(.headline).accessibilityAddTraits(.isHeader)
            // What waits, then when the last report went.
            ForEach(Array(state.queue.enumerated()), id: \.offset) { index, line in
                ScreenTextView(line).font(index == 0 ? .body : .footnote)
            }
            if let error = state.syncError {
                ServiceErrorText(error: error)
            }
            if !state.failed.isEmpty {
                Text("sync.failed \(state.failed.count)").font(.subheadline.bold())
                ForEach(state.failed, id: \.report.reportId) { failed in
                    VStack(alignment: .leading) {
                        Text(verbatim: failed.report.localDate).font(.footnote.bold())
                        Text(failed.reason).font(.footnote)
                    }
                    .accessibilityElement(children: .combine)
                }
                Button("sync.retry", action: onRetry)
                    .disabled(state.syncing)
            }
            Button(action: onSendNow) {
                Text(state.syncing ? "sync.sending" : "sync.now")
            }
            .disabled(state.syncing)
        }
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(Color(.secondarySystemBackground), in: RoundedRectangle(cornerRadius: 12))
    }
}
