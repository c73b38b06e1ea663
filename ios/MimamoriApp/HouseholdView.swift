// The household (代理入力): the owner and each member with their waiting and refused
// reports, "report for this person", removing a member (their reports are kept), and
// the form to add a member by name, date of birth, phone and smartphone input ID,
// each refusal under its field. Draws HouseholdModel's state and forwards taps;
// "add" and "report for" are the signed-in app's actions.
import MimamoriKit
import MobileCore
import SwiftUI

struct HouseholdView: View {
    @ObservedObject var model: HouseholdModel
    let onAdd: () -> Void
    let onReportFor: (String) -> Void

    var body: some View {
        let state = model.state
        Form {
            if let error = state.error {
                Section { ServiceErrorText(error: error) }
            }
            Section("household.people") {
                ForEach(state.people, id: \.view.personId) { person in
                    personRow(person, selected: person.view.personId == state.selected)
                }
            }
            Section {
                TextField("household.name", text: Binding(get: { model.state.name }, set: { model.setName($0) }))
                    .textContentType(.name)
                FieldMessage(text: state.message("name"))
                TextField("household.dateOfBirth", text: Binding(get: { model.state.dateOfBirth }, set: { model.setDateOfBirth($0) }))
                    .keyboardType(.numbersAndPunctuation)
                FieldMessage(text: state.message("date_of_birth"))
                TextField("household.phone", text: Binding(get: { model.state.phone }, set: { model.setPhone($0) }))
                    .keyboardType(.phonePad)
                FieldMessage(text: state.message("phone"))
                TextField("household.inputId", text: Binding(get: { model.state.inputId }, set: { model.setInputId($0) }))
                    .keyboardType(.numberPad)
                FieldMessage(text: state.message("input_id"))
                Button(action: onAdd) {
                    Text(state.adding ? "household.adding" : "household.add")
                }
                .disabled(state.adding)
                if let added = state.added {
                    Text("household.added \(added.name)")
                }
            } header: {
                Text("household.addTitle").accessibilityAddTraits(.isHeader)
            } footer: {
                Text("household.addFooter")
            }
        }
        .navigationTitle(Text("household.title"))
        .task { if model.state.loading { await model.load() } }
        .refreshable { await model.load() }
    }

    @ViewBuilder
    private func personRow(_ person: HouseholdModel.Person, selected: Bool) -> some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(person.view.name).font(.body.bold())
                if selected {
                    Image(systemName: "checkmark").accessibilityLabel(Text("household.selected"))
                }
            }
            if let centre = person.view.centreName {
                Text(verbatim: centre).font(.footnote)
            }
            if let queue = person.queue, queue.pending + queue.failed > 0 {
                Text("household.queue \(Int(clamping: queue.pending)) \(Int(clamping: queue.failed))").font(.footnote)
            }
            HStack {
                Button("household.reportFor") { onReportFor(person.view.personId) }
                .buttonStyle(.bordered)
                if person.view.personId != selfPersonId {
                    Button("household.remove", role: .destructive) {
                        Task { await model.remove(person.view.personId) }
                    }
                    .buttonStyle(.bordered)
                }
            }
        }
        .accessibilityElement(children: .contain)
    }
}
