// The family's urgent-symptom check (緊急性の高い症状), open without login: the
// emergency-number card first (or a form to copy the number from the leaflet), the
// leaflet's checklist as the core words it, the patient's kind, cough and fever for a
// close contact, and the core's advice after "check".
import MimamoriKit
import MobileCore
import SwiftUI

struct UrgentCheckView: View {
    @ObservedObject var model: UrgentCheckModel
    @State private var centreName = ""
    @State private var phoneNumber = ""

    var body: some View {
        let state = model.state
        Form {
            Section {
                if let contact = state.emergency {
                    EmergencyNumberCard(contact: contact)
                } else if !state.loading {
                    contactForm(state.contactError)
                }
                if let error = state.error {
                    ServiceErrorText(error: error)
                }
            }
            if let checklist = state.checklist {
                Section {
                    ForEach(checklist.whenToCall, id: \.self) { Text($0) }
                }
                Section("urgent.kind") {
                    Picker("urgent.kind", selection: kindBinding) {
                        Text("urgent.kind.unknown").tag(PersonKind?.none)
                        ForEach(state.kinds, id: \.kind) { kind in
                            Text(kind.label).tag(Optional(kind.kind))
                        }
                    }
                    .pickerStyle(.inline)
                    .labelsHidden()
                }
                ForEach(checklist.groups, id: \.id) { group in
                    Section(group.title) {
                        ForEach(group.symptoms, id: \.id) { symptom in
                            Toggle(isOn: tickBinding(symptom.id)) {
                                Text(verbatim: "\(symptom.text)\(symptom.judgedByFamily ? " ※" : "")")
                            }
                        }
                    }
                }
                Section {
                    Text(checklist.footnote).font(.footnote)
                    Toggle(checklist.coughLabel, isOn: Binding(get: { model.state.cough }, set: { model.setCough($0) }))
                    Toggle(checklist.feverLabel, isOn: Binding(get: { model.state.fever }, set: { model.setFever($0) }))
                    Button {
                        Task { await model.evaluate() }
                    } label: {
                        Text("urgent.check").frame(maxWidth: .infinity)
                    }
                    .disabled(state.checking)
                }
                if let advice = state.advice {
                    Section { AdviceSection(advice: advice) }
                }
            }
        }
        .navigationTitle(Text("urgent.title"))
        .task { if model.state.loading { await model.load() } }
    }

    @ViewBuilder
    private func contactForm(_ error: ServiceError?) -> some View {
        Text("contact.title").font(.headline)
        TextField("contact.centre", text: $centreName)
        if error?.field == "centre_name", let reason = error?.reason {
            Text(reason).font(.footnote).foregroundStyle(.red)
        }
        TextField("contact.phone", text: $phoneNumber).keyboardType(.phonePad)
        if error?.field == "phone_number", let reason = error?.reason {
            Text(reason).font(.footnote).foregroundStyle(.red)
        }
        Button("contact.save") {
            Task { await model.saveContact(centreName: centreName, phoneNumber: phoneNumber) }
        }
    }

    private var kindBinding: Binding<PersonKind?> {
        Binding(get: { model.state.kind }, set: { model.setKind($0) })
    }

    private func tickBinding(_ id: String) -> Binding<Bool> {
        Binding(get: { model.state.ticked.contains(id) }, set: { _ in model.toggle(id) })
    }
}
